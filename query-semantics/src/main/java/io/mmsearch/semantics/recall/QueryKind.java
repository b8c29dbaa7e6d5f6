package io.mmsearch.semantics.recall;

import java.util.Locale;

/**
 * Where a query vector comes from, as far as the graph is concerned: query vectors of a different
 * distribution than the indexed ones walk the graph differently, so the calibration keeps a curve
 * for each kind it could measure.
 */
public enum QueryKind {
  /**
   * Image-like: a query image, an indexed document's vector ("more like this"), a raw vector.
   * Calibrated with indexed vectors, each searched with itself left out.
   */
  IMAGE,
  /** A text embedding: calibrated with text vectors of the index's own captions. */
  TEXT;

  /** The lower-case name used in stored calibrations and printed output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind of a label written by {@link #label()}. */
  public static QueryKind ofLabel(String label) {
    return valueOf(label.trim().toUpperCase(Locale.ROOT));
  }
}
