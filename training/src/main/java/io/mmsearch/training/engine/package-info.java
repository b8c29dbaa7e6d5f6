/**
 * The {@code pytorch} {@link io.mmsearch.encoders.EncoderEngine}: serves a bundle exported by
 * {@code mmsearch train} from the DJL weights it carries in {@code pytorch/}, on DJL's PyTorch
 * engine, with the same preprocessing and tokenizer as the ONNX Runtime engine.
 */
package io.mmsearch.training.engine;
