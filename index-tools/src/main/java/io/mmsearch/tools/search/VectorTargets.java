package io.mmsearch.tools.search;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.VectorTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The vector targets a user names on the command line, in the HTTP API and on the web page: {@code
 * image} (the image vectors), {@code caption} (the caption vectors), {@code both}, or a weighted
 * list such as {@code image:0.3,caption:0.7} (field names {@code image_vec}, {@code caption_vec}
 * work too). Stateless.
 */
public final class VectorTargets {
  private VectorTargets() {}

  /**
   * The default targets of {@code search}, {@code /api/search} and the web page. See {@link
   * SearchMode#DEFAULT} for the measurement behind it.
   */
  public static final List<VectorTarget> DEFAULT =
      List.of(VectorTarget.of(ImageSchema.IMAGE_VECTOR));

  /** The targets {@code both} names: image and caption vectors, equal weights. */
  public static final List<VectorTarget> BOTH =
      List.of(
          VectorTarget.of(ImageSchema.IMAGE_VECTOR), VectorTarget.of(ImageSchema.CAPTION_VECTOR));

  /**
   * Parses a target specification.
   *
   * @param parameter the name of the setting, for the message ({@code --target}, {@code target})
   * @param spec the user's text; null or blank gives {@link #DEFAULT}
   * @throws InvalidQueryException naming the parameter and the known targets
   */
  public static List<VectorTarget> parse(String parameter, String spec) {
    if (spec == null || spec.isBlank()) {
      return DEFAULT;
    }
    String s = spec.strip().toLowerCase(Locale.ROOT);
    if (s.equals("both")) {
      return BOTH;
    }
    List<VectorTarget> out = new ArrayList<>();
    for (String part : s.split(",")) {
      String[] nameAndWeight = part.strip().split(":", -1);
      if (nameAndWeight.length > 2) {
        throw invalid(parameter, spec, "'" + part.strip() + "' has more than one ':'");
      }
      String field = field(parameter, spec, nameAndWeight[0].strip());
      float weight = 1f;
      if (nameAndWeight.length == 2) {
        try {
          weight = Float.parseFloat(nameAndWeight[1].strip());
        } catch (NumberFormatException e) {
          throw invalid(
              parameter, spec, "the weight '" + nameAndWeight[1].strip() + "' is not a number");
        }
      }
      try {
        out.add(new VectorTarget(field, weight));
      } catch (InvalidQueryException e) {
        throw invalid(parameter, spec, e.getMessage());
      }
    }
    return out;
  }

  private static String field(String parameter, String spec, String name) {
    switch (name) {
      case "image":
      case ImageSchema.IMAGE_VECTOR:
        return ImageSchema.IMAGE_VECTOR;
      case "caption":
      case ImageSchema.CAPTION_VECTOR:
        return ImageSchema.CAPTION_VECTOR;
      default:
        throw invalid(
            parameter,
            spec,
            "unknown vector target '"
                + name
                + "'; known: image, caption, both (or image_vec, caption_vec, with :weight)");
    }
  }

  private static InvalidQueryException invalid(String parameter, String spec, String reason) {
    return new InvalidQueryException(parameter + " '" + spec + "': " + reason);
  }
}
