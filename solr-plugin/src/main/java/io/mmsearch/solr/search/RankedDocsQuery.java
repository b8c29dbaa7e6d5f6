package io.mmsearch.solr.search;

import java.util.Arrays;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;

/**
 * A fixed set of documents of one index reader, each with a fixed score: what {@link
 * ExactRescoreQuery} rewrites to. Only valid against the reader it was computed on (checked).
 * Immutable.
 */
final class RankedDocsQuery extends Query {
  private final int[] docs; // global doc ids, ascending
  private final float[] scores;
  private final Object readerId;
  private final String description;

  /**
   * @param docs global doc ids, ascending, no duplicates
   * @param scores one per doc
   */
  RankedDocsQuery(int[] docs, float[] scores, Object readerId, String description) {
    this.docs = docs;
    this.scores = scores;
    this.readerId = readerId;
    this.description = description;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    if (searcher.getIndexReader().getContext().id() != readerId) {
      throw new IllegalStateException("this query was rewritten against another index reader");
    }
    return new Weight(this) {
      @Override
      public Explanation explain(LeafReaderContext context, int doc) {
        int i = Arrays.binarySearch(docs, context.docBase + doc);
        return i < 0
            ? Explanation.noMatch("not a candidate")
            : Explanation.match(scores[i] * boost, description);
      }

      @Override
      public Scorer scorer(LeafReaderContext context) {
        int lo = lowerBound(context.docBase);
        int hi = lowerBound(context.docBase + context.reader().maxDoc());
        if (lo == hi) {
          return null;
        }
        return new SlicedScorer(this, context.docBase, lo, hi, boost);
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return true;
      }
    };
  }

  private int lowerBound(int doc) {
    int i = Arrays.binarySearch(docs, doc);
    return i >= 0 ? i : -1 - i;
  }

  /** Iterates docs[lo, hi) of one leaf. */
  private final class SlicedScorer extends Scorer {
    private final int docBase;
    private final int lo;
    private final int hi;
    private final float boost;
    private int upTo = -1;

    SlicedScorer(Weight weight, int docBase, int lo, int hi, float boost) {
      super(weight);
      this.docBase = docBase;
      this.lo = lo;
      this.hi = hi;
      this.boost = boost;
    }

    @Override
    public int docID() {
      if (upTo < lo) {
        return -1;
      }
      return upTo >= hi ? DocIdSetIterator.NO_MORE_DOCS : docs[upTo] - docBase;
    }

    @Override
    public float score() {
      return scores[upTo] * boost;
    }

    @Override
    public float getMaxScore(int upTo) {
      float max = 0;
      for (int i = lo; i < hi; i++) {
        max = Math.max(max, scores[i]);
      }
      return max * boost;
    }

    @Override
    public DocIdSetIterator iterator() {
      return new DocIdSetIterator() {
        @Override
        public int docID() {
          return SlicedScorer.this.docID();
        }

        @Override
        public int nextDoc() {
          upTo = upTo < lo ? lo : upTo + 1;
          return docID();
        }

        @Override
        public int advance(int target) {
          int global = target + docBase;
          int from = upTo < lo ? lo : upTo;
          while (from < hi && docs[from] < global) {
            from++;
          }
          upTo = from;
          return docID();
        }

        @Override
        public long cost() {
          return hi - lo;
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
    return description + "[" + docs.length + " docs]";
  }

  @Override
  public boolean equals(Object o) {
    return sameClassAs(o)
        && readerId == ((RankedDocsQuery) o).readerId
        && Arrays.equals(docs, ((RankedDocsQuery) o).docs)
        && Arrays.equals(scores, ((RankedDocsQuery) o).scores);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), Arrays.hashCode(docs), Arrays.hashCode(scores));
  }
}
