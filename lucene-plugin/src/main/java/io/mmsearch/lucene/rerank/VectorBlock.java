package io.mmsearch.lucene.rerank;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.util.Bits;

/**
 * Full-precision vectors in one contiguous row-major {@code float[]}, each row labelled with a doc
 * id. This is the input of the exact scorers and of {@link FlatExactIndex}.
 *
 * <p>Vectors read from an index come from {@link LeafReader#getFloatVectorValues(String)}, which
 * returns the original float32 vectors whatever the field's format (HNSW over float32 or over
 * int8/int4/binary quantized vectors: Lucene keeps the raw vectors next to the quantized ones).
 *
 * <p>Immutable by contract: the factories do not copy the arrays they are given, and {@link
 * #data()} returns the backing array; nobody may modify them afterwards. Thread-safe for reading.
 */
public final class VectorBlock {
  private final float[] data;
  private final int dimension;
  private final int[] docIds;

  private VectorBlock(float[] data, int dimension, int[] docIds) {
    this.data = data;
    this.dimension = dimension;
    this.docIds = docIds;
  }

  /** A block whose row {@code i} has doc id {@code i}. */
  public static VectorBlock of(float[] data, int dimension) {
    Objects.requireNonNull(data, "data");
    checkShape(data, dimension);
    int[] ids = new int[data.length / dimension];
    Arrays.setAll(ids, i -> i);
    return new VectorBlock(data, dimension, ids);
  }

  /** A block whose row {@code i} has doc id {@code docIds[i]}. Doc ids must be distinct. */
  public static VectorBlock of(float[] data, int dimension, int[] docIds) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(docIds, "docIds");
    checkShape(data, dimension);
    if (docIds.length != data.length / dimension) {
      throw new IllegalArgumentException(
          docIds.length + " doc ids for " + data.length / dimension + " vectors");
    }
    return new VectorBlock(data, dimension, docIds);
  }

  /**
   * All full-precision vectors of {@code field} in live (not deleted) documents, rows in ascending
   * top-level doc id order.
   *
   * @throws IllegalArgumentException if no segment has float vectors in {@code field}, or if the
   *     vectors do not fit in one Java array (2^31 - 1 floats)
   */
  public static VectorBlock readAll(IndexReader reader, String field) throws IOException {
    int dim = dimension(reader, field);
    long total = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      total += values == null ? 0 : values.size();
    }
    if (total * dim > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "field '" + field + "': " + total + " vectors of " + dim + " floats exceed one array");
    }
    float[] data = new float[(int) (total * dim)];
    int[] ids = new int[(int) total];
    int rows = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      if (values == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc();
          doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS;
          doc = it.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        System.arraycopy(values.vectorValue(it.index()), 0, data, rows * dim, dim);
        ids[rows++] = leaf.docBase + doc;
      }
    }
    if (rows < ids.length) {
      data = Arrays.copyOf(data, rows * dim);
      ids = Arrays.copyOf(ids, rows);
    }
    return new VectorBlock(data, dim, ids);
  }

  /**
   * The full-precision vectors of {@code field} for the given top-level doc ids, rows in the order
   * given (duplicates allowed).
   *
   * @throws IllegalArgumentException naming the first doc id that is out of range or has no vector
   */
  public static VectorBlock read(IndexReader reader, String field, int[] docIds)
      throws IOException {
    Objects.requireNonNull(docIds, "docIds");
    int dim = dimension(reader, field);
    float[] data = new float[docIds.length * dim];
    // Vector iterators only move forward: visit the requested docs in ascending order.
    Integer[] order = new Integer[docIds.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Integer.compare(docIds[a], docIds[b]));
    List<LeafReaderContext> leaves = reader.leaves();
    int leafIndex = -1;
    FloatVectorValues values = null;
    KnnVectorValues.DocIndexIterator it = null;
    for (int position : order) {
      int doc = docIds[position];
      if (doc < 0 || doc >= reader.maxDoc()) {
        throw new IllegalArgumentException(
            "doc id " + doc + " is out of range [0, " + reader.maxDoc() + ")");
      }
      int sub = ReaderUtil.subIndex(doc, leaves);
      if (sub != leafIndex) {
        leafIndex = sub;
        values = leaves.get(sub).reader().getFloatVectorValues(field);
        it = values == null ? null : values.iterator();
      }
      int segmentDoc = doc - leaves.get(sub).docBase;
      if (it == null
          || (it.docID() < segmentDoc ? it.advance(segmentDoc) : it.docID()) != segmentDoc) {
        throw new IllegalArgumentException(
            "doc " + doc + " has no vector in field '" + field + "'");
      }
      System.arraycopy(values.vectorValue(it.index()), 0, data, position * dim, dim);
    }
    return new VectorBlock(data, dim, docIds.clone());
  }

  private static int dimension(IndexReader reader, String field) {
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(field, "field");
    for (LeafReaderContext leaf : reader.leaves()) {
      var info = leaf.reader().getFieldInfos().fieldInfo(field);
      if (info != null && info.getVectorDimension() > 0) {
        if (info.getVectorEncoding() != org.apache.lucene.index.VectorEncoding.FLOAT32) {
          throw new IllegalArgumentException(
              "field '" + field + "' holds " + info.getVectorEncoding() + " vectors, not FLOAT32");
        }
        return info.getVectorDimension();
      }
    }
    throw new IllegalArgumentException("field '" + field + "' has no vectors in this index");
  }

  private static void checkShape(float[] data, int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    if (data.length % dimension != 0) {
      throw new IllegalArgumentException(
          data.length + " floats is not a whole number of " + dimension + "-d vectors");
    }
  }

  /** Floats per vector. */
  public int dimension() {
    return dimension;
  }

  /** Number of vectors. */
  public int size() {
    return docIds.length;
  }

  /** The doc id of row {@code row}. */
  public int docId(int row) {
    return docIds[row];
  }

  /** The backing row-major array ({@code size() * dimension()} floats); do not modify. */
  public float[] data() {
    return data;
  }

  /** A copy of row {@code row}. */
  public float[] vector(int row) {
    return Arrays.copyOfRange(data, row * dimension, (row + 1) * dimension);
  }
}
