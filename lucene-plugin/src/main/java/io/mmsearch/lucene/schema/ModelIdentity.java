package io.mmsearch.lucene.schema;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedding model an index was built with: the model bundle's content fingerprint and its
 * embedding dimension. Stored in the index's commit user data so that an index is never searched or
 * extended with vectors from another model, which would silently give wrong results.
 *
 * @param fingerprint the bundle's content fingerprint, non-blank
 * @param dimension the embedding dimension, at least 1
 */
public record ModelIdentity(String fingerprint, int dimension) {

  /** Commit user data key of the fingerprint. */
  public static final String FINGERPRINT_KEY = "mmsearch.model.fingerprint";

  /** Commit user data key of the dimension. */
  public static final String DIMENSION_KEY = "mmsearch.model.dimension";

  public ModelIdentity {
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (fingerprint.isBlank()) {
      throw new IllegalArgumentException("model fingerprint must not be blank");
    }
    if (dimension < 1) {
      throw new IllegalArgumentException("model dimension must be >= 1, got " + dimension);
    }
  }

  /** The commit user data entries that record this identity. */
  public Map<String, String> toCommitUserData() {
    return Map.of(FINGERPRINT_KEY, fingerprint, DIMENSION_KEY, Integer.toString(dimension));
  }

  /**
   * Reads an identity from commit user data.
   *
   * @return empty if the commit carries no identity (an index not written by mmsearch)
   * @throws IllegalArgumentException if the entries are present but malformed
   */
  public static Optional<ModelIdentity> fromCommitUserData(Map<String, String> userData) {
    String fingerprint = userData.get(FINGERPRINT_KEY);
    String dimension = userData.get(DIMENSION_KEY);
    if (fingerprint == null && dimension == null) {
      return Optional.empty();
    }
    if (fingerprint == null || dimension == null) {
      throw new IllegalArgumentException(
          "commit user data has only one of " + FINGERPRINT_KEY + " and " + DIMENSION_KEY);
    }
    try {
      return Optional.of(new ModelIdentity(fingerprint, Integer.parseInt(dimension)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "commit user data " + DIMENSION_KEY + " is not a number: '" + dimension + "'", e);
    }
  }

  @Override
  public String toString() {
    return fingerprint + " (dimension " + dimension + ")";
  }
}
