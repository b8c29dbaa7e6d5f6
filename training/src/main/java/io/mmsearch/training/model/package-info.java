/**
 * The dual encoder as DJL blocks: {@link io.mmsearch.training.model.ImageTower}, {@link
 * io.mmsearch.training.model.TextTower} and {@link io.mmsearch.training.model.DualEncoder}, shaped
 * by an immutable {@link io.mmsearch.training.model.DualEncoderConfig}.
 */
package io.mmsearch.training.model;
