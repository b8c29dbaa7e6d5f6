package io.mmsearch.lucene.rerank;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.VectorUtil;

/**
 * Re-ranks the matches of another query (normally a {@code KnnFloatVectorQuery}, whose graph may
 * hold quantized vectors) by the exact inner product of their full-precision vectors with a target,
 * and keeps the best {@code n}: the same contract as Lucene's {@link RescoreTopNQuery} with a
 * full-precision vector source, for an {@link ExactScorer} that scores a whole block of candidates
 * in one call (FAISS through JavaCPP: one native call per query instead of one per document).
 *
 * <p>Like Lucene's kNN and rescore queries it does its work in {@link #rewrite}: the wrapped query
 * runs once, the candidates' vectors are read in one forward pass per segment ({@link
 * VectorBlock#read}) and scored in one call, and the query rewrites to the fixed top {@code n}. So
 * a host can wrap it in its own {@code BooleanQuery} like any query. Scores are Lucene's {@code
 * DOT_PRODUCT} scores, {@code max((1 + dot) / 2, 0)}, as the kNN query's and Lucene's rescorer's;
 * ties are broken by doc id ascending.
 *
 * <p>Immutable. Does not own the scorer. Use {@link ExactScorer#rerankQuery} rather than this
 * constructor, so each scorer picks its fastest path (the pure-Java scorer uses Lucene's {@link
 * RescoreTopNQuery}).
 */
public final class ExactRerankQuery extends Query {
  private final Query candidates;
  private final String field;
  private final float[] target;
  private final int n;
  private final ExactScorer scorer;

  /**
   * @param candidates the query whose matches are re-ranked
   * @param field the float vector field
   * @param target the query vector (its dimension must be the field's)
   * @param n how many of the best candidates to keep, at least 1
   * @param scorer computes the inner products; not owned
   */
  public ExactRerankQuery(
      Query candidates, String field, float[] target, int n, ExactScorer scorer) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    this.candidates = Objects.requireNonNull(candidates, "candidates");
    this.field = Objects.requireNonNull(field, "field");
    this.target = Objects.requireNonNull(target, "target").clone();
    this.n = n;
    this.scorer = Objects.requireNonNull(scorer, "scorer");
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    Query inner = searcher.rewrite(candidates);
    int[] docs = matches(searcher, inner);
    if (docs.length == 0) {
      return new MatchNoDocsQuery("no candidates to re-rank");
    }
    VectorBlock block = VectorBlock.read(searcher.getIndexReader(), field, docs);
    if (block.dimension() != target.length) {
      throw new IllegalArgumentException(
          "the target has "
              + target.length
              + " dimensions, field '"
              + field
              + "' has "
              + block.dimension());
    }
    float[] innerProducts = scorer.innerProducts(target, block.data(), docs.length);
    float[] scores = new float[docs.length];
    for (int i = 0; i < docs.length; i++) {
      scores[i] = VectorUtil.normalizeToUnitInterval(innerProducts[i]);
    }
    int[] top = RankedHits.topIndexes(docs, scores, n);
    int[] topDocs = new int[top.length];
    float[] topScores = new float[top.length];
    for (int i = 0; i < top.length; i++) {
      topDocs[i] = docs[top[i]];
      topScores[i] = scores[top[i]];
    }
    return ScoredDocsQuery.of(searcher.getIndexReader(), topDocs, topScores);
  }

  /** The top-level doc ids the query matches, ascending. */
  private static int[] matches(IndexSearcher searcher, Query query) throws IOException {
    Weight weight = searcher.createWeight(query, ScoreMode.COMPLETE_NO_SCORES, 1f);
    int[] docs = new int[16];
    int count = 0;
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Scorer s = weight.scorer(leaf);
      if (s == null) {
        continue;
      }
      DocIdSetIterator it = s.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        docs = ArrayUtil.grow(docs, count + 1);
        docs[count++] = leaf.docBase + doc;
      }
    }
    return Arrays.copyOf(docs, count);
  }

  @Override
  public void visit(QueryVisitor visitor) {
    candidates.visit(visitor.getSubVisitor(BooleanClause.Occur.MUST, this));
  }

  @Override
  public String toString(String f) {
    return "ExactRerankQuery("
        + candidates.toString(f)
        + ", field="
        + field
        + ", n="
        + n
        + ", scorer="
        + scorer.name()
        + ")";
  }

  @Override
  public boolean equals(Object other) {
    if (!sameClassAs(other)) {
      return false;
    }
    ExactRerankQuery o = (ExactRerankQuery) other;
    return n == o.n
        && candidates.equals(o.candidates)
        && field.equals(o.field)
        && Arrays.equals(target, o.target)
        && scorer.name().equals(o.scorer.name());
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), candidates, field, Arrays.hashCode(target), n, scorer.name());
  }
}
