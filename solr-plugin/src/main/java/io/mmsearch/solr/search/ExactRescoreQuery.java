package io.mmsearch.solr.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * The candidates of a {@link KnnFloatVectorQuery}, scored again exactly on the full-precision
 * float32 vectors of the field, whatever the quantization of its HNSW graph: the Lucene 9.12
 * counterpart of Lucene 10's {@code RescoreTopNQuery}, which the embedded index uses. Scores are in
 * the field similarity's units ({@code (1 + cos) / 2} for dot product), the same units as the
 * approximate kNN scores and as the embedded index's exact scores.
 *
 * <p>Rewriting runs the HNSW search once and reads the candidates' vectors in one forward pass per
 * segment. Immutable.
 */
public final class ExactRescoreQuery extends Query {
  private final KnnFloatVectorQuery candidates;
  private final float[] target;
  private final VectorSimilarityFunction similarity;

  /**
   * @param candidates the kNN query whose top {@code k} documents are re-scored
   * @param similarity the similarity of the field
   */
  public ExactRescoreQuery(KnnFloatVectorQuery candidates, VectorSimilarityFunction similarity) {
    this.candidates = Objects.requireNonNull(candidates);
    this.target = candidates.getTargetCopy();
    this.similarity = Objects.requireNonNull(similarity);
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    TopDocs top = searcher.search(candidates, candidates.getK());
    int[] docs = new int[top.scoreDocs.length];
    int n = 0;
    for (ScoreDoc sd : top.scoreDocs) {
      docs[n++] = sd.doc;
    }
    Arrays.sort(docs);
    float[] scores = new float[n];
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    FloatVectorValues values = null;
    int leafIndex = -1;
    for (int i = 0; i < n; i++) {
      int leaf = ReaderUtil.subIndex(docs[i], leaves);
      LeafReaderContext ctx = leaves.get(leaf);
      if (leaf != leafIndex) {
        leafIndex = leaf;
        values = ctx.reader().getFloatVectorValues(candidates.getField());
      }
      int local = docs[i] - ctx.docBase;
      if (values == null || values.advance(local) != local) {
        throw new IllegalStateException(
            "kNN candidate " + docs[i] + " has no " + candidates.getField() + " vector");
      }
      scores[i] = similarity.compare(target, values.vectorValue());
    }
    return new RankedDocsQuery(
        docs,
        scores,
        searcher.getIndexReader().getContext().id(),
        "exact " + similarity + " on " + candidates.getField());
  }

  @Override
  public void visit(QueryVisitor visitor) {
    candidates.visit(
        visitor.getSubVisitor(org.apache.lucene.search.BooleanClause.Occur.MUST, this));
  }

  @Override
  public String toString(String field) {
    return "ExactRescore(" + candidates.toString(field) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return sameClassAs(o)
        && candidates.equals(((ExactRescoreQuery) o).candidates)
        && similarity == ((ExactRescoreQuery) o).similarity;
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), candidates, similarity);
  }
}
