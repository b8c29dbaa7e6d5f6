package io.mmsearch.semantics;

/**
 * A value a user gives with an optional weight, {@code value} or {@code value^weight} (the boost
 * syntax of Lucene's query parser): a document id, a text or a file to find more or less like. The
 * one parser of that syntax for every front end (command line, HTTP API, Solr parameters).
 *
 * @param value the value, stripped, not blank
 * @param weight its weight, finite and {@code >= 0}
 */
public record Weighted(String value, float weight) {

  /**
   * Parses {@code value^weight}; a value without a {@code ^number} suffix gets {@code
   * defaultWeight} (a {@code ^} followed by anything else belongs to the value).
   *
   * @param parameter names the setting in messages
   * @throws InvalidQueryException naming the parameter if the value is blank or the weight is
   *     negative or not finite
   */
  public static Weighted parse(String parameter, String text, float defaultWeight) {
    String value = text;
    float weight = defaultWeight;
    int caret = text.lastIndexOf('^');
    if (caret >= 0) {
      try {
        weight = Float.parseFloat(text.substring(caret + 1).strip());
        value = text.substring(0, caret);
      } catch (NumberFormatException e) {
        // not a weight: the caret is part of the value
      }
    }
    if (value.isBlank()) {
      throw new InvalidQueryException(parameter + " '" + text + "': the value is blank");
    }
    if (!(weight >= 0) || Float.isInfinite(weight)) {
      throw new InvalidQueryException(
          parameter + " '" + text + "': the weight must be finite and >= 0, got " + weight);
    }
    return new Weighted(value.strip(), weight);
  }
}
