package io.mmsearch.lucene.rerank;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

/**
 * A fixed set of top-level doc ids with fixed scores, valid only for the reader it was made for:
 * what {@link ExactRerankQuery} rewrites to, as Lucene's kNN and rescore queries rewrite to their
 * own (package-private) doc-and-score query. Immutable.
 */
final class ScoredDocsQuery extends Query {
  private final int[] docs; // ascending
  private final float[] scores; // aligned with docs
  private final int[] leafStarts; // leafStarts[ord] .. leafStarts[ord + 1]: the docs of leaf ord
  private final float maxScore;
  private final Object readerId;

  private ScoredDocsQuery(
      int[] docs, float[] scores, int[] leafStarts, float maxScore, Object readerId) {
    this.docs = docs;
    this.scores = scores;
    this.leafStarts = leafStarts;
    this.maxScore = maxScore;
    this.readerId = readerId;
  }

  /**
   * @param reader the reader the doc ids belong to
   * @param docs distinct top-level doc ids, any order; not modified
   * @param scores their scores, aligned with {@code docs}; not modified
   */
  static ScoredDocsQuery of(IndexReader reader, int[] docs, float[] scores) {
    Integer[] order = new Integer[docs.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Integer.compare(docs[a], docs[b]));
    int[] sortedDocs = new int[docs.length];
    float[] sortedScores = new float[docs.length];
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < order.length; i++) {
      sortedDocs[i] = docs[order[i]];
      sortedScores[i] = scores[order[i]];
      max = Math.max(max, sortedScores[i]);
    }
    List<LeafReaderContext> leaves = reader.leaves();
    int[] starts = new int[leaves.size() + 1];
    for (int ord = 0; ord < leaves.size(); ord++) {
      int found = Arrays.binarySearch(sortedDocs, leaves.get(ord).docBase);
      starts[ord] = found >= 0 ? found : -1 - found;
    }
    starts[leaves.size()] = sortedDocs.length;
    return new ScoredDocsQuery(sortedDocs, sortedScores, starts, max, reader.getContext().id());
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    if (searcher.getIndexReader().getContext().id() != readerId) {
      throw new IllegalStateException("this query was rewritten for another reader");
    }
    return new Weight(this) {
      @Override
      public Explanation explain(LeafReaderContext context, int doc) {
        int found = Arrays.binarySearch(docs, context.docBase + doc);
        return found < 0
            ? Explanation.noMatch("not among the " + docs.length + " re-ranked documents")
            : Explanation.match(scores[found] * boost, "exact re-rank score");
      }

      @Override
      public int count(LeafReaderContext context) {
        return leafStarts[context.ord + 1] - leafStarts[context.ord];
      }

      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) {
        int from = leafStarts[context.ord];
        int to = leafStarts[context.ord + 1];
        if (from == to) {
          return null;
        }
        return new DefaultScorerSupplier(new LeafScorer(context.docBase, from, to, boost));
      }

      @Override
      public boolean isCacheable(LeafReaderContext context) {
        return true;
      }
    };
  }

  /** Iterates the docs of one leaf in order with their fixed scores. */
  private final class LeafScorer extends Scorer {
    private final int docBase;
    private final int from;
    private final int to;
    private final float boost;
    private int position = -1;

    LeafScorer(int docBase, int from, int to, float boost) {
      this.docBase = docBase;
      this.from = from;
      this.to = to;
      this.boost = boost;
    }

    private int current() {
      if (position < from) {
        return -1;
      }
      return position < to ? docs[position] - docBase : DocIdSetIterator.NO_MORE_DOCS;
    }

    @Override
    public int docID() {
      return current();
    }

    @Override
    public float score() {
      return scores[position] * boost;
    }

    @Override
    public float getMaxScore(int upTo) {
      return maxScore * boost;
    }

    @Override
    public DocIdSetIterator iterator() {
      return new DocIdSetIterator() {
        @Override
        public int docID() {
          return current();
        }

        @Override
        public int nextDoc() {
          position = position < from ? from : Math.min(position + 1, to);
          return current();
        }

        @Override
        public int advance(int target) {
          int start = Math.min(Math.max(position + 1, from), to);
          int found = Arrays.binarySearch(docs, start, to, docBase + target);
          position = found >= 0 ? found : -1 - found;
          return current();
        }

        @Override
        public long cost() {
          return to - from;
        }
      };
    }
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "ScoredDocsQuery(" + docs.length + " docs, max score " + maxScore + ")";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other)
        && readerId == ((ScoredDocsQuery) other).readerId
        && Arrays.equals(docs, ((ScoredDocsQuery) other).docs)
        && Arrays.equals(scores, ((ScoredDocsQuery) other).scores);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        classHash(),
        System.identityHashCode(readerId),
        Arrays.hashCode(docs),
        Arrays.hashCode(scores));
  }
}
