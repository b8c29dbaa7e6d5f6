package io.mmsearch.semantics.recall;

import java.io.IOException;

/**
 * What {@link RecallCalibrator} needs from an index, whatever engine holds it: the layout the
 * measurement is valid for, the live full-precision vectors, and the engine's own approximate
 * search. Documents are addressed by a global id that is stable for the lifetime of this view
 * (Lucene: the doc id in the point-in-time reader). An implementation is a point-in-time view and
 * must be safe for concurrent calls: the calibrator may spread its queries over threads.
 */
public interface CalibrationIndex {

  /** The signature of the segment layout this view searches (see {@link RecallCalibration}). */
  String layout();

  /** Segments holding vectors of the field. */
  int segments();

  /** Global ids of the live documents with a vector, ascending. */
  int[] liveDocs() throws IOException;

  /** The full-precision vector of a live document (a copy the caller may keep). */
  float[] vector(int doc) throws IOException;

  /** Receives the live vectors of one {@link #scan}. */
  @FunctionalInterface
  interface VectorVisitor {
    /** {@code vector} is only valid during the call. */
    void visit(int doc, float[] vector);
  }

  /** Visits every live document's full-precision vector, in ascending global id. */
  void scan(VectorVisitor visitor) throws IOException;

  /** The dot product of two vectors, with the engine's own (vectorised) kernel. */
  float dotProduct(float[] a, float[] b);

  /**
   * The engine's approximate nearest-neighbour search, exactly as a request runs it: {@code count}
   * candidates, best first by the graph's own score, restricted to {@code filter} (null: none).
   */
  int[] search(float[] query, int count, RandomSubset filter) throws IOException;

  /** One more than the largest global id (live or not). */
  int maxDoc();

  /** Whether a global id is a live document. */
  boolean isLive(int doc) throws IOException;

  /** The value of a stored text field of a document, or null if it has none. */
  String storedText(int doc, String field) throws IOException;

  /** The same view, of another vector field of the index. */
  CalibrationIndex ofField(String vectorField);
}
