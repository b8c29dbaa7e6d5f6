package io.mmsearch.solr.model;

import java.util.Objects;

/**
 * The embedding model a collection is built with: the bundle's content fingerprint and its
 * embedding dimension. The same pair, under the same names, that the embedded index keeps in its
 * commit user data; a collection keeps it in its collection properties.
 *
 * @param fingerprint the bundle fingerprint (lower-case hex SHA-256), non-blank
 * @param dimension the embedding dimension, at least 1
 */
public record ModelIdentity(String fingerprint, int dimension) {

  /** Collection property holding the fingerprint. */
  public static final String FINGERPRINT_PROPERTY = "mmsearch.model.fingerprint";

  /** Collection property holding the dimension. */
  public static final String DIMENSION_PROPERTY = "mmsearch.model.dimension";

  public ModelIdentity {
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (fingerprint.isBlank()) {
      throw new IllegalArgumentException("model fingerprint must not be blank");
    }
    if (dimension < 1) {
      throw new IllegalArgumentException("model dimension must be >= 1, got " + dimension);
    }
  }

  @Override
  public String toString() {
    return fingerprint + " (dimension " + dimension + ")";
  }
}
