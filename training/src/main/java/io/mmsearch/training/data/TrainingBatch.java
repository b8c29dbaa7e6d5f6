package io.mmsearch.training.data;

/**
 * One batch as flat Java arrays, ready to become tensors.
 *
 * @param size number of items
 * @param pixels {@code [size, 3, S, S]} normalised pixels
 * @param tokens {@code [size, steps]} token ids padded with 0
 * @param lengths {@code [size]} real tokens per row
 * @param steps token steps per row: the longest caption in this batch
 * @param concepts {@code [size]} concept index per item
 */
public record TrainingBatch(
    int size, float[] pixels, long[] tokens, long[] lengths, int steps, long[] concepts) {}
