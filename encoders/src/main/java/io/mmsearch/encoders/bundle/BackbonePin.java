package io.mmsearch.encoders.bundle;

import io.mmsearch.encoders.image.ImageBackboneSpec;
import io.mmsearch.encoders.text.BackboneSpec;

/**
 * What identifies a referenced backbone file, text or image: its name, file name, SHA-256, size and
 * where to get it, plus the {@code bundle.json} section that declares it (for messages).
 *
 * @param name what the model is
 * @param file its file name
 * @param sha256 lower-case hex SHA-256 of its bytes
 * @param size its length in bytes
 * @param source how to get it
 * @param section the {@code bundle.json} section declaring it, e.g. {@code image.backbone}
 */
public record BackbonePin(
    String name, String file, String sha256, long size, String source, String section) {

  /** The pin of a text backbone ({@code text.backbone}). */
  public static BackbonePin of(BackboneSpec spec) {
    return new BackbonePin(
        spec.name(), spec.file(), spec.sha256(), spec.size(), spec.source(), "text.backbone");
  }

  /** The pin of an image backbone ({@code image.backbone}). */
  public static BackbonePin of(ImageBackboneSpec spec) {
    return new BackbonePin(
        spec.name(), spec.file(), spec.sha256(), spec.size(), spec.source(), "image.backbone");
  }
}
