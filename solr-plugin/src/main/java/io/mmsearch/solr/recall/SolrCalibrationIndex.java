package io.mmsearch.solr.recall;

import io.mmsearch.semantics.recall.CalibrationIndex;
import io.mmsearch.semantics.recall.RandomSubset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * A Solr core's point-in-time reader (Lucene 9.12) as a {@link CalibrationIndex}: searches run
 * Lucene's own {@link KnnFloatVectorQuery}, what {@code {!mmknn}} runs, so the calibration measures
 * what a shard request gets. Unfiltered only: Solr shards plan their candidates without the
 * filter's share (see {@link CoreCalibrations}). The caller keeps the reader open while this view
 * is used. Thread-safe.
 */
final class SolrCalibrationIndex implements CalibrationIndex {
  private final IndexReader reader;
  private final String field;
  private final IndexSearcher searcher;

  SolrCalibrationIndex(IndexReader reader, String field) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.field = Objects.requireNonNull(field, "field");
    this.searcher = new IndexSearcher(reader);
    this.searcher.setQueryCache(null);
  }

  /**
   * The layout signature of the reader's segments holding vectors of {@code field}: {@code
   * name-id:maxDoc} per segment, as the embedded index writes it, so both engines name a layout the
   * same way.
   */
  static String layoutOf(IndexReader reader, String field) {
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
    List<Integer> docs = new ArrayList<>();
    scan((doc, vector) -> docs.add(doc));
    return docs.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public float[] vector(int doc) throws IOException {
    LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(doc, reader.leaves()));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
    if (values == null || values.advance(doc - leaf.docBase) != doc - leaf.docBase) {
      throw new IllegalArgumentException("document " + doc + " has no vector in " + field);
    }
    return values.vectorValue().clone();
  }

  @Override
  public void scan(VectorVisitor visitor) throws IOException {
    for (LeafReaderContext leaf : vectorLeaves(reader, field)) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      Bits live = leaf.reader().getLiveDocs();
      for (int doc = values.nextDoc();
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = values.nextDoc()) {
        if (live == null || live.get(doc)) {
          visitor.visit(leaf.docBase + doc, values.vectorValue());
        }
      }
    }
  }

  @Override
  public float dotProduct(float[] a, float[] b) {
    return VectorUtil.dotProduct(a, b);
  }

  @Override
  public int[] search(float[] query, int count, RandomSubset filter) throws IOException {
    if (filter != null) {
      throw new UnsupportedOperationException("Solr shards calibrate without filters");
    }
    ScoreDoc[] hits =
        searcher.search(new KnnFloatVectorQuery(field, query, count), count).scoreDocs;
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
  public SolrCalibrationIndex ofField(String vectorField) {
    return new SolrCalibrationIndex(reader, vectorField);
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
    if (unwrapped instanceof SegmentReader) {
      SegmentReader segment = (SegmentReader) unwrapped;
      byte[] id = segment.getSegmentInfo().info.getId();
      return segment.getSegmentName() + "-" + HexFormat.of().formatHex(id, 0, 4);
    }
    return "leaf" + ord;
  }
}
