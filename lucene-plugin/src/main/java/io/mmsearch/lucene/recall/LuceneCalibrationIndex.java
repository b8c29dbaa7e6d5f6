package io.mmsearch.lucene.recall;

import io.mmsearch.semantics.recall.CalibrationIndex;
import io.mmsearch.semantics.recall.RandomSubset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.VectorUtil;

/**
 * A Lucene 10 point-in-time reader as a {@link CalibrationIndex}: searches run Lucene's own {@link
 * KnnFloatVectorQuery} (so the calibration measures exactly what a request gets), vectors are the
 * full-precision ones every mmsearch format keeps, and documents are addressed by their doc id in
 * the reader. The caller keeps the reader open while this view is used. Thread-safe.
 */
public final class LuceneCalibrationIndex implements CalibrationIndex {
  private final IndexReader reader;
  private final String field;
  private final IndexSearcher searcher;
  private final Map<RandomSubset, Query> filters = new ConcurrentHashMap<>();

  /** A view searching {@code reader} on the calling thread, without query cache. */
  public LuceneCalibrationIndex(IndexReader reader, String field) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.field = Objects.requireNonNull(field, "field");
    this.searcher = new IndexSearcher(reader);
    this.searcher.setQueryCache(null);
  }

  /**
   * The layout signature of {@code reader}'s segments holding vectors of {@code field}: {@code
   * name-id:maxDoc} per segment, in reader order, comma-separated ({@code id}: the start of the
   * segment's unique id, so a re-created index never matches an old one). A flush adds a segment
   * and a merge replaces several by a new one, so either changes it; deletions alone do not (the
   * graphs stay the same, and recall over the live documents moves little).
   */
  public static String layoutOf(IndexReader reader, String field) {
    List<String> parts = new ArrayList<>();
    for (LeafReaderContext leaf : vectorLeaves(reader, field)) {
      parts.add(name(leaf.reader(), leaf.ord) + ":" + leaf.reader().maxDoc());
    }
    return String.join(",", parts);
  }

  @Override
  public String layout() {
    return layoutOf(reader, field);
  }

  @Override
  public int segments() {
    return vectorLeaves(reader, field).size();
  }

  @Override
  public int[] liveDocs() throws IOException {
    int[] docs = new int[Math.max(16, reader.numDocs())];
    int[] n = {0};
    int[][] holder = {docs};
    scanDocs(
        (doc, ord, values) -> {
          if (n[0] == holder[0].length) {
            holder[0] = Arrays.copyOf(holder[0], n[0] * 2);
          }
          holder[0][n[0]++] = doc;
        });
    return Arrays.copyOf(holder[0], n[0]);
  }

  @Override
  public float[] vector(int doc) throws IOException {
    LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(doc, reader.leaves()));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
    if (values == null) {
      throw new IllegalArgumentException("document " + doc + " has no vector in " + field);
    }
    KnnVectorValues.DocIndexIterator it = values.iterator();
    if (it.advance(doc - leaf.docBase) != doc - leaf.docBase) {
      throw new IllegalArgumentException("document " + doc + " has no vector in " + field);
    }
    return values.vectorValue(it.index()).clone();
  }

  @Override
  public void scan(VectorVisitor visitor) throws IOException {
    scanDocs((doc, ord, values) -> visitor.visit(doc, values.vectorValue(ord)));
  }

  @Override
  public float dotProduct(float[] a, float[] b) {
    return VectorUtil.dotProduct(a, b);
  }

  @Override
  public int[] search(float[] query, int count, RandomSubset filter) throws IOException {
    Query knn =
        new KnnFloatVectorQuery(
            field,
            query,
            count,
            filter == null ? null : filters.computeIfAbsent(filter, this::toQuery));
    ScoreDoc[] hits = searcher.search(knn, count).scoreDocs;
    int[] docs = new int[hits.length];
    for (int i = 0; i < hits.length; i++) {
      docs[i] = hits[i].doc;
    }
    return docs;
  }

  @Override
  public int maxDoc() {
    return reader.maxDoc();
  }

  @Override
  public boolean isLive(int doc) {
    Bits live = MultiBits.getLiveDocs(reader);
    return live == null || live.get(doc);
  }

  @Override
  public String storedText(int doc, String textField) throws IOException {
    return reader.storedFields().document(doc, Set.of(textField)).get(textField);
  }

  @Override
  public LuceneCalibrationIndex ofField(String vectorField) {
    return new LuceneCalibrationIndex(reader, vectorField);
  }

  /** Receives a live document with a vector: its global id, its vector ordinal, the values. */
  @FunctionalInterface
  private interface DocVisitor {
    void visit(int doc, int ord, FloatVectorValues values) throws IOException;
  }

  private void scanDocs(DocVisitor visitor) throws IOException {
    for (LeafReaderContext leaf : vectorLeaves(reader, field)) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live == null || live.get(doc)) {
          visitor.visit(leaf.docBase + doc, it.index(), values);
        }
      }
    }
  }

  private static List<LeafReaderContext> vectorLeaves(IndexReader reader, String field) {
    List<LeafReaderContext> leaves = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(field);
      if (info != null && info.getVectorDimension() > 0) {
        leaves.add(leaf);
      }
    }
    return leaves;
  }

  private static String name(LeafReader reader, int ord) {
    LeafReader unwrapped = FilterLeafReader.unwrap(reader);
    if (unwrapped instanceof SegmentReader segment) {
      byte[] id = segment.getSegmentInfo().info.getId();
      return segment.getSegmentName() + "-" + HexFormat.of().formatHex(id, 0, 4);
    }
    return "leaf" + ord; // not a segment (a host's own reader): identified by position only
  }

  /** The subset as a filter query: one bit set per segment, computed once for this reader. */
  private Query toQuery(RandomSubset subset) {
    FixedBitSet[] bits = new FixedBitSet[reader.leaves().size()];
    for (LeafReaderContext leaf : reader.leaves()) {
      FixedBitSet b = new FixedBitSet(leaf.reader().maxDoc());
      for (int d = 0; d < b.length(); d++) {
        if (subset.accepts(leaf.docBase + d)) {
          b.set(d);
        }
      }
      bits[leaf.ord] = b;
    }
    return new SubsetQuery(subset, bits);
  }

  /** A constant-score filter over precomputed per-segment bit sets; valid for one reader. */
  private static final class SubsetQuery extends Query {
    private final RandomSubset subset;
    private final FixedBitSet[] bits;

    SubsetQuery(RandomSubset subset, FixedBitSet[] bits) {
      this.subset = subset;
      this.bits = bits;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
      return new ConstantScoreWeight(this, boost) {
        @Override
        public ScorerSupplier scorerSupplier(LeafReaderContext context) {
          FixedBitSet leafBits = bits[context.ord];
          int cardinality = leafBits.cardinality();
          if (cardinality == 0) {
            return null;
          }
          return new DefaultScorerSupplier(
              new ConstantScoreScorer(
                  score(), scoreMode, new BitSetIterator(leafBits, cardinality)));
        }

        @Override
        public boolean isCacheable(LeafReaderContext ctx) {
          return false;
        }
      };
    }

    @Override
    public void visit(QueryVisitor visitor) {
      visitor.visitLeaf(this);
    }

    @Override
    public String toString(String f) {
      return "RandomSubset(" + subset.share() + ")";
    }

    @Override
    public boolean equals(Object other) {
      return sameClassAs(other) && bits == ((SubsetQuery) other).bits;
    }

    @Override
    public int hashCode() {
      return 31 * classHash() + System.identityHashCode(bits);
    }
  }
}
