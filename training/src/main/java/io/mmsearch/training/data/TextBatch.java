package io.mmsearch.training.data;

/** The text side of one batch as flat Java arrays, in the form its text tower reads. */
public sealed interface TextBatch {

  /** Rows in the batch. */
  int rows();

  /**
   * Word-token ids for the BiLSTM.
   *
   * @param tokens {@code [rows, steps]} ids padded with 0
   * @param lengths {@code [rows]} real tokens per row
   * @param steps the longest caption in this batch
   */
  record Tokens(long[] tokens, long[] lengths, int rows, int steps) implements TextBatch {}

  /**
   * A frozen backbone's pooled features for a projection head.
   *
   * @param values {@code [rows, dimension]}
   */
  record Features(float[] values, int rows, int dimension) implements TextBatch {}
}
