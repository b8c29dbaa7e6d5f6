package io.mmsearch.semantics.recall;

/**
 * A filter accepting a seeded pseudo-random share of the documents, by global id: the uncorrelated
 * filter of a given selectivity the calibration measures filtered recall with (as Lucene's own kNN
 * benchmarks do). Engines turn it into a filter query of their own.
 *
 * @param share the accepted share, in (0, 1]
 * @param seed selects which documents
 */
public record RandomSubset(double share, long seed) {

  public RandomSubset {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be in (0, 1], got " + share);
    }
  }

  /** Whether the document with this global id is accepted (SplitMix64 of seed and id). */
  public boolean accepts(int doc) {
    long z = seed + 0x9E3779B97F4A7C15L * (doc + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (z >>> 11) * 0x1.0p-53 < share;
  }
}
