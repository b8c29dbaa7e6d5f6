package io.mmsearch.training.data;

/**
 * One batch as flat Java arrays, ready to become tensors.
 *
 * @param size number of items
 * @param pixels {@code [size, 3, S, S]} normalised pixels
 * @param text the text tower's input for the caption chosen for each item
 * @param concepts {@code [size]} concept index per item
 * @param describes {@code [size, size]} row-major: 1 where item {@code j}'s chosen caption is also
 *     one of item {@code i}'s own captions (for {@code i != j}), so it is no negative of image
 *     {@code i} even across concepts (a tag such as "face" captions many emoji)
 */
public record TrainingBatch(
    int size, float[] pixels, TextBatch text, long[] concepts, float[] describes) {}
