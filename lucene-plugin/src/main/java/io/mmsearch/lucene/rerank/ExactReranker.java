package io.mmsearch.lucene.rerank;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;

/**
 * Re-scores approximate kNN candidates exactly: reads their full-precision vectors from the index
 * ({@link VectorBlock#read}), computes inner products with an {@link ExactScorer}, and keeps the
 * best {@code k} ranked by exact inner product descending, then doc id ascending.
 *
 * <p>{@link ScoreDoc#score} of the result is the raw inner product (for unit vectors, cosine
 * similarity in [-1, 1]), not Lucene's {@code DOT_PRODUCT} score {@code (1 + dot) / 2}.
 *
 * <p>Immutable and thread-safe if the scorer is. Does not own the scorer: the caller closes it.
 */
public final class ExactReranker {
  private final ExactScorer scorer;

  public ExactReranker(ExactScorer scorer) {
    this.scorer = Objects.requireNonNull(scorer, "scorer");
  }

  /** The scorer in use. */
  public ExactScorer scorer() {
    return scorer;
  }

  /**
   * Re-ranks {@code candidates} (top-level doc ids of {@code reader}) for {@code query}.
   *
   * @return at most {@code k} hits; total hits is the number of candidates
   * @throws IllegalArgumentException if a candidate has no vector in {@code field} or the query's
   *     dimension differs from the field's
   */
  public TopDocs rerank(
      IndexReader reader, String field, float[] query, ScoreDoc[] candidates, int k)
      throws IOException {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    int[] docs = new int[candidates.length];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = candidates[i].doc;
    }
    if (docs.length == 0) {
      return new TopDocs(new TotalHits(0, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
    }
    VectorBlock block = VectorBlock.read(reader, field, docs);
    if (block.dimension() != query.length) {
      throw new IllegalArgumentException(
          "query has "
              + query.length
              + " dimensions, field '"
              + field
              + "' has "
              + block.dimension());
    }
    float[] scores = scorer.innerProducts(query, block.data(), docs.length);
    int[] top = RankedHits.topIndexes(docs, scores, k);
    ScoreDoc[] hits = new ScoreDoc[top.length];
    for (int i = 0; i < top.length; i++) {
      hits[i] = new ScoreDoc(docs[top[i]], scores[top[i]]);
    }
    return new TopDocs(new TotalHits(docs.length, TotalHits.Relation.EQUAL_TO), hits);
  }
}
