package io.mmsearch.semantics;

import java.util.Objects;

/**
 * One vector field a request's query vector is matched against, with its weight in the {@link
 * TargetJoin} of several targets: the image vectors ({@code image_vec}) or the caption vectors
 * ({@code caption_vec}) of mmsearch's schema, or any vector field of the model's dimension.
 *
 * @param field the vector field, not blank
 * @param weight the target's weight when several are joined, finite and {@code >= 0}
 */
public record VectorTarget(String field, float weight) {

  /** The image vectors: every document has one. */
  public static final String IMAGE = "image_vec";

  /** The caption vectors: the text encoder's vector of each document's caption, if it has one. */
  public static final String CAPTION = "caption_vec";

  public VectorTarget {
    Objects.requireNonNull(field, "field");
    if (field.isBlank()) {
      throw new InvalidQueryException("a vector target field is blank");
    }
    Fusion.requireWeight("the weight of vector target " + field, weight);
  }

  /** The field with weight 1. */
  public static VectorTarget of(String field) {
    return new VectorTarget(field, 1f);
  }
}
