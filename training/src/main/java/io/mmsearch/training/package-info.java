/**
 * Trains the project's CLIP-style dual encoder (a small CNN image tower and a BiLSTM text tower)
 * from scratch with DJL on the PyTorch engine, and exports it as a model bundle that the {@code
 * encoders} module serves.
 *
 * <p>Sub-packages: {@code model} (the network), {@code data} (manifest and folder input, split,
 * augmentation, batches), {@code loop} (loss, optimiser, validation, checkpoints, curves), {@code
 * export} (ONNX export with a parity check) and {@code engine} (a PyTorch {@code EncoderEngine}
 * over a training checkpoint).
 */
package io.mmsearch.training;
