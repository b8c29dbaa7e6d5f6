/**
 * Training input: reading examples from a manifest or a folder-per-class layout, the seeded
 * train/validation split, decoding with the shared {@code ImagePreprocessor}, augmentation and the
 * assembly of batches. Bad items are reported as {@link io.mmsearch.training.data.DatasetProblem}s
 * and skipped.
 */
package io.mmsearch.training.data;
