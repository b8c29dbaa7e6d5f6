/**
 * The training loop: {@link io.mmsearch.training.loop.ContrastiveLoss}, the learning-rate schedule,
 * validation metrics, checkpoints, metrics JSON and curves, driven by {@link
 * io.mmsearch.training.loop.DualEncoderTrainer}.
 */
package io.mmsearch.training.loop;
