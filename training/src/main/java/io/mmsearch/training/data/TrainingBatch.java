package io.mmsearch.training.data;

/**
 * One batch as flat Java arrays, ready to become tensors.
 *
 * @param size number of items
 * @param images the image tower's input, {@code [size, imageLength]} row-major: normalised pixels
 *     {@code [3, S, S]} per item, or a frozen backbone's features
 * @param imageShape the shape of one item's image input: {@code [3, S, S]} or {@code [F]}
 * @param text the text tower's input for the caption chosen for each item
 * @param concepts {@code [size]} concept index per item
 * @param describes {@code [size, size]} row-major: 1 where item {@code j}'s chosen caption is also
 *     one of item {@code i}'s own captions (for {@code i != j}), so it is no negative of image
 *     {@code i} even across concepts (a tag such as "face" captions many emoji)
 */
public record TrainingBatch(
    int size,
    float[] images,
    long[] imageShape,
    TextBatch text,
    long[] concepts,
    float[] describes) {}
