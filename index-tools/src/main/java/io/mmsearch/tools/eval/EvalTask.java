package io.mmsearch.tools.eval;

import java.util.Locale;

/** What an evaluation line measures; {@link #jsonName()} is the {@code task} field. */
public enum EvalTask {
  /** A text query against the images' vectors, captions and keywords. */
  TEXT_TO_IMAGE("t2i"),
  /** An image query against the images' vectors. */
  IMAGE_TO_IMAGE("i2i"),
  /** Each class name encoded as text; each image assigned to the nearest class name. */
  ZERO_SHOT_CLASS("zero_shot_class"),
  /** How many of the exact (flat) top-k the approximate (HNSW) search returns. */
  ANN_VS_EXACT("ann_vs_exact"),
  /**
   * How many of the exact top-k the default search returns (re-ranked candidates, as many as the
   * index's recall calibration chooses for the target recall): the promise of the target, checked.
   */
  TARGET_RECALL("target_recall");

  private final String jsonName;

  EvalTask(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name used in JSON lines and on the chart. */
  public String jsonName() {
    return jsonName;
  }

  @Override
  public String toString() {
    return jsonName.toLowerCase(Locale.ROOT);
  }
}
