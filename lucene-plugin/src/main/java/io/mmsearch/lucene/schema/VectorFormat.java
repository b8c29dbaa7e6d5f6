package io.mmsearch.lucene.schema;

import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * How the HNSW graph of a vector field stores the vectors it navigates with. Every format keeps the
 * full-precision float32 vectors next to the graph, so exact re-ranking can always read them.
 */
public enum VectorFormat {
  /** HNSW over the raw float32 vectors ({@code Lucene99HnswVectorsFormat}). */
  FLOAT32,
  /** HNSW over 8-bit optimised scalar quantised vectors (Lucene 10.4+ OSQ, unsigned byte). */
  INT8,
  /** HNSW over 4-bit optimised scalar quantised vectors (two dimensions per byte). */
  INT4,
  /**
   * HNSW over 1-bit (binary) optimised scalar quantised vectors, queried with 4-bit query vectors:
   * Lucene 10.5's successor of the 10.2 binary quantised format.
   */
  BINARY;

  /**
   * Lucene's format for this choice, merging graphs on one thread.
   *
   * @param maxConn HNSW M: maximum connections per node
   * @param beamWidth HNSW beam width used while building the graph
   */
  public KnnVectorsFormat knnVectorsFormat(int maxConn, int beamWidth) {
    return knnVectorsFormat(maxConn, beamWidth, 1, null);
  }

  /**
   * Lucene's format for this choice.
   *
   * @param maxConn HNSW M: maximum connections per node
   * @param beamWidth HNSW beam width used while building the graph
   * @param mergeWorkers threads that insert vectors into a merged graph at once; above 1, {@code
   *     mergeExec} must not be null
   * @param mergeExec runs the merge workers (the caller owns and shuts it down), or null for 1
   */
  public KnnVectorsFormat knnVectorsFormat(
      int maxConn, int beamWidth, int mergeWorkers, ExecutorService mergeExec) {
    return switch (this) {
      case FLOAT32 -> new Lucene99HnswVectorsFormat(maxConn, beamWidth, mergeWorkers, mergeExec);
      case INT8 ->
          quantized(ScalarEncoding.UNSIGNED_BYTE, maxConn, beamWidth, mergeWorkers, mergeExec);
      case INT4 ->
          quantized(ScalarEncoding.PACKED_NIBBLE, maxConn, beamWidth, mergeWorkers, mergeExec);
      case BINARY ->
          quantized(
              ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, maxConn, beamWidth, mergeWorkers, mergeExec);
    };
  }

  private static KnnVectorsFormat quantized(
      ScalarEncoding encoding,
      int maxConn,
      int beamWidth,
      int mergeWorkers,
      ExecutorService mergeExec) {
    return new Lucene104HnswScalarQuantizedVectorsFormat(
        encoding, maxConn, beamWidth, mergeWorkers, mergeExec);
  }

  /** The lower-case name used on command lines and in reports, e.g. {@code int8}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
