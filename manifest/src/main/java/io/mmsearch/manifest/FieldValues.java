package io.mmsearch.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON value rules of a manifest record (what a caption, keywords, class or id may be) and how
 * a value is repeated in a problem message: shortened, so one huge line cannot flood a report.
 * Stateless.
 */
final class FieldValues {

  private static final int SHOWN_CHARS = 100;
  private static final int SHOWN_VALUES = 20;

  private FieldValues() {}

  /** A value short enough to repeat in a message: the start of a long one. */
  static String shown(String value) {
    if (value.length() <= SHOWN_CHARS) {
      return value;
    }
    int end = SHOWN_CHARS;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(0, end) + "... (" + value.length() + " characters)";
  }

  /** The first values of a list, each {@link #shown}, and how many more there are. */
  static String shownList(List<String> values) {
    List<String> shown = new ArrayList<>();
    for (String v : values.subList(0, Math.min(values.size(), SHOWN_VALUES))) {
      shown.add(shown(v));
    }
    return shown
        + (values.size() > SHOWN_VALUES ? " and " + (values.size() - SHOWN_VALUES) + " more" : "");
  }

  /** The text of a string or number node, null for anything else or a missing node. */
  static String scalarText(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual() || node.isNumber()) {
      return node.asText();
    }
    return null;
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /**
   * A list of non-blank stripped strings from a string (split on commas when {@code commaList}) or
   * a JSON list of strings.
   *
   * @throws IllegalArgumentException naming {@code name} when the node is of another type
   */
  static List<String> textList(JsonNode node, boolean commaList, String name) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isTextual()) {
      if (commaList) {
        for (String part : node.asText().split(",")) {
          addIfNotBlank(out, part);
        }
      } else {
        addIfNotBlank(out, node.asText());
      }
      return out;
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        if (!element.isTextual()) {
          throw new IllegalArgumentException(
              name + " must be a list of strings, found " + describe(element));
        }
        addIfNotBlank(out, element.asText());
      }
      return out;
    }
    throw new IllegalArgumentException(
        name + " must be a string or a list of strings, got " + describe(node));
  }

  /** The JSON type of a node, as a message names it ("array", "object", ...). */
  static String describe(JsonNode node) {
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private static void addIfNotBlank(List<String> out, String s) {
    if (!s.isBlank()) {
      out.add(s.strip());
    }
  }
}
