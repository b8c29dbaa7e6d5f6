package io.mmsearch.semantics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /**
   * What every front end searches when a request names no target ({@code search}, {@code
   * /api/search}, the web page, Solr's {@code mmsearch.target}), in the syntax of {@link
   * #parseList}. Chosen by measured quality: docs/quality.md, "Vector targets".
   */
  public static final String DEFAULT_SPEC = "image";

  /** The field with weight 1. */
  public static VectorTarget of(String field) {
    return new VectorTarget(field, 1f);
  }

  /**
   * Parses a user's target list: {@code image} (the image vectors), {@code caption} (the caption
   * vectors), {@code both}, or a weighted list such as {@code image:1,caption:2}; the field names
   * themselves work too. Null or blank gives {@link #DEFAULT_SPEC}.
   *
   * @param parameter names the setting in messages
   * @param imageField the engine's image vector field
   * @param captionField the engine's caption vector field
   * @throws InvalidQueryException naming the parameter and what is wrong (an unknown target, a bad
   *     weight)
   */
  public static List<VectorTarget> parseList(
      String parameter, String spec, String imageField, String captionField) {
    String given = spec == null || spec.isBlank() ? DEFAULT_SPEC : spec;
    String s = given.strip().toLowerCase(Locale.ROOT);
    if (s.equals("both")) {
      return List.of(of(imageField), of(captionField));
    }
    List<VectorTarget> out = new ArrayList<>();
    for (String part : s.split(",", -1)) {
      String[] nameAndWeight = part.strip().split(":", -1);
      String name = nameAndWeight[0].strip();
      String field;
      if (name.equals("image") || name.equals(imageField)) {
        field = imageField;
      } else if (name.equals("caption") || name.equals(captionField)) {
        field = captionField;
      } else {
        throw new InvalidQueryException(
            parameter
                + " '"
                + given
                + "': unknown vector target '"
                + name
                + "'; known: image, caption, both (or "
                + imageField
                + ", "
                + captionField
                + ", each with :weight)");
      }
      float weight = 1f;
      if (nameAndWeight.length > 2) {
        throw new InvalidQueryException(
            parameter + " '" + given + "': '" + part.strip() + "' has more than one ':'");
      }
      if (nameAndWeight.length == 2) {
        try {
          weight = Float.parseFloat(nameAndWeight[1].strip());
        } catch (NumberFormatException e) {
          throw new InvalidQueryException(
              parameter
                  + " '"
                  + given
                  + "': the weight '"
                  + nameAndWeight[1].strip()
                  + "' is not a number");
        }
      }
      try {
        out.add(new VectorTarget(field, weight));
      } catch (InvalidQueryException e) {
        throw new InvalidQueryException(parameter + " '" + given + "': " + e.getMessage());
      }
    }
    return out;
  }
}
