package io.mmsearch.lucene.search;

import java.util.Locale;

/**
 * How a request with both a keyword part and a vector part merges the keyword (BM25) list and the
 * vector list. Immutable values; a request with a single part is ranked by that part's own scores.
 *
 * <ul>
 *   <li>{@link Rrf}: reciprocal rank fusion as Lucene's {@code TopDocs.rrf} computes it, {@code
 *       score(d) = Σ 1 / (rankConstant + rank_i(d))} over the lists that contain {@code d}, ranks
 *       1-based, summed in double precision.
 *   <li>{@link Linear}: per list, min-max normalise the scores ({@code (s - min) / (max - min)}, 1
 *       for every entry when all are equal), then {@code score(d) = w_keyword · norm_keyword(d) +
 *       w_vector · norm_vector(d)}; a list that does not contain {@code d} adds nothing.
 * </ul>
 *
 * Both break ties by Lucene doc id ascending. These formulas are the contract that other front ends
 * (the Solr plugin) reproduce.
 */
public sealed interface Fusion {

  /** Reciprocal rank fusion with the given rank constant (at least 1). */
  record Rrf(int rankConstant) implements Fusion {
    /** The rank constant of the original paper (Cormack et al., 2009), Elasticsearch and Solr. */
    public static final int DEFAULT_RANK_CONSTANT = 60;

    public Rrf {
      if (rankConstant < 1) {
        throw new InvalidRequestException(
            "the RRF rank constant must be >= 1, got " + rankConstant);
      }
    }

    @Override
    public String toString() {
      return "rrf(" + rankConstant + ")";
    }
  }

  /** Linear fusion of min-max normalised scores with these weights (finite, {@code >= 0}). */
  record Linear(float keywordWeight, float vectorWeight) implements Fusion {
    public Linear {
      for (float w : new float[] {keywordWeight, vectorWeight}) {
        if (!(w >= 0) || Float.isInfinite(w)) {
          throw new InvalidRequestException("fusion weights must be finite and >= 0, got " + w);
        }
      }
    }

    @Override
    public String toString() {
      return "linear(" + keywordWeight + ", " + vectorWeight + ")";
    }
  }

  /** RRF with rank constant 60: the default. */
  static Fusion rrf() {
    return new Rrf(Rrf.DEFAULT_RANK_CONSTANT);
  }

  /** RRF with the given rank constant. */
  static Fusion rrf(int rankConstant) {
    return new Rrf(rankConstant);
  }

  /** Linear fusion with these weights. */
  static Fusion linear(float keywordWeight, float vectorWeight) {
    return new Linear(keywordWeight, vectorWeight);
  }

  /**
   * The fusion a user names: {@code rrf} (rank constant 60) or {@code linear} (equal weights), in
   * any case.
   *
   * @throws InvalidRequestException for any other name
   */
  static Fusion named(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "rrf" -> rrf();
      case "linear" -> linear(1f, 1f);
      default ->
          throw new InvalidRequestException("fusion must be rrf or linear, got '" + name + "'");
    };
  }
}
