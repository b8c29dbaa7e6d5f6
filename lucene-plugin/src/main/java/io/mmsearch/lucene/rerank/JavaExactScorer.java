package io.mmsearch.lucene.rerank;

import java.io.IOException;
import org.apache.lucene.search.DoubleValuesSource;
import org.apache.lucene.search.FullPrecisionFloatVectorSimilarityValuesSource;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.util.VectorUtil;

/**
 * Exact inner products in pure Java with Lucene's {@link VectorUtil#dotProduct(float[], float[])}
 * (SIMD through the Panama vector API when the JVM runs with {@code --add-modules
 * jdk.incubator.vector}, scalar otherwise). Re-ranking inside a search uses Lucene's own {@link
 * RescoreTopNQuery} over the full-precision vectors instead, which scores them where the codec
 * keeps them without copying. Stateless and thread-safe; {@link #close()} does nothing.
 */
public final class JavaExactScorer implements ExactScorer {

  @Override
  public float[] innerProducts(float[] query, float[] candidates, int count) {
    CandidateBlocks.check(query, candidates, count);
    int dim = query.length;
    float[] out = new float[count];
    // VectorUtil takes whole arrays, so each row is copied into one scratch vector.
    float[] row = new float[dim];
    for (int i = 0; i < count; i++) {
      System.arraycopy(candidates, i * dim, row, 0, dim);
      out[i] = VectorUtil.dotProduct(query, row);
    }
    return out;
  }

  /**
   * Lucene's {@link RescoreTopNQuery#createFullPrecisionRescorerQuery}: the same scores (the
   * field's {@code DOT_PRODUCT} similarity on the full-precision vectors) and the same tie order as
   * {@link ExactRerankQuery}.
   */
  @Override
  public Query rerankQuery(Query candidates, String field, float[] target, int n) {
    return new NonEmptyRescoreQuery(candidates, new FullPrecisionScores(target.clone(), field), n);
  }

  /**
   * Lucene's {@link RescoreTopNQuery}, except that candidates matching nothing rewrite to no
   * documents: Lucene 10.5.1's rescore query fails on them (an assertion, or an index out of bounds
   * without assertions, in {@code DocAndScoreQuery.createDocAndScoreQuery}).
   */
  private static final class NonEmptyRescoreQuery extends RescoreTopNQuery {
    private final Query candidates;
    private final DoubleValuesSource scores;
    private final int n;

    NonEmptyRescoreQuery(Query candidates, DoubleValuesSource scores, int n) {
      super(candidates, scores, n);
      this.candidates = candidates;
      this.scores = scores;
      this.n = n;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
      Query inner = searcher.rewrite(candidates);
      if (searcher.count(inner) == 0) {
        return new MatchNoDocsQuery("no candidates to re-rank");
      }
      // The candidates are rewritten once (a kNN query runs its graph search in rewrite).
      return new RescoreTopNQuery(inner, scores, n).rewrite(searcher);
    }
  }

  /**
   * Lucene's full-precision source with the field's own similarity, read through the codec's
   * rescorer (no copy of the vectors), as {@link RescoreTopNQuery#createFullPrecisionRescorerQuery}
   * builds it; only {@link #toString()} differs, because Lucene 10.5.1's throws a
   * NullPointerException when the similarity is the field's.
   */
  private static final class FullPrecisionScores
      extends FullPrecisionFloatVectorSimilarityValuesSource {
    private final String field;

    FullPrecisionScores(float[] target, String field) {
      super(target, field);
      this.field = field;
    }

    @Override
    public String toString() {
      return "FullPrecisionScores(" + field + ")";
    }
  }

  @Override
  public String name() {
    return "java";
  }
}
