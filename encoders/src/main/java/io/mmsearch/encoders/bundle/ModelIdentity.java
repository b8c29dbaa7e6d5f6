package io.mmsearch.encoders.bundle;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The model a set of vectors was made with: the bundle's content fingerprint and its embedding
 * dimension. Whatever keeps vectors records it next to them under {@value #FINGERPRINT_KEY} and
 * {@value #DIMENSION_KEY} (the embedded index in its commit user data, a SolrCloud collection in
 * its collection properties) so that they are never searched or extended with vectors of another
 * model, which would silently give wrong results. Immutable; free of Lucene so that the Lucene 10
 * plugin and the Solr (Lucene 9) plugin share it.
 *
 * @param fingerprint the bundle's content fingerprint, non-blank
 * @param dimension the embedding dimension, at least 1
 */
public record ModelIdentity(String fingerprint, int dimension) {

  /** The key the fingerprint is recorded under. */
  public static final String FINGERPRINT_KEY = "mmsearch.model.fingerprint";

  /** The key the dimension is recorded under. */
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

  /** The identity of {@code bundle}. */
  public static ModelIdentity of(ModelBundle bundle) {
    return new ModelIdentity(bundle.fingerprint(), bundle.dimension());
  }

  /** The two entries that record this identity. */
  public Map<String, String> toEntries() {
    return Map.of(FINGERPRINT_KEY, fingerprint, DIMENSION_KEY, Integer.toString(dimension));
  }

  /**
   * Reads an identity from recorded entries (values are read through {@code toString}).
   *
   * @param where what holds the entries, for the error message (e.g. "commit user data")
   * @return empty if neither entry is present (nothing was recorded)
   * @throws IllegalArgumentException naming {@code where} if the entries are present but malformed
   */
  public static Optional<ModelIdentity> fromEntries(Map<String, ?> entries, String where) {
    Object fingerprint = entries.get(FINGERPRINT_KEY);
    Object dimension = entries.get(DIMENSION_KEY);
    if (fingerprint == null && dimension == null) {
      return Optional.empty();
    }
    if (fingerprint == null || dimension == null) {
      throw new IllegalArgumentException(
          where + " has only one of " + FINGERPRINT_KEY + " and " + DIMENSION_KEY);
    }
    int dim;
    try {
      dim = Integer.parseInt(dimension.toString().strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          where + " " + DIMENSION_KEY + " is not a number: '" + dimension + "'", e);
    }
    return Optional.of(new ModelIdentity(fingerprint.toString(), dim));
  }

  @Override
  public String toString() {
    return fingerprint + " (dimension " + dimension + ")";
  }
}
