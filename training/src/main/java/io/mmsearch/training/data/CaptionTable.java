package io.mmsearch.training.data;

import java.util.Collection;
import java.util.Map;

/**
 * The distinct caption texts of a run, each turned once into what the text tower reads (word
 * tokens, or a frozen backbone's features), addressed by row. Examples refer to their captions by
 * row, so a caption shared by many images is prepared and stored once.
 *
 * <p>Implementations are thread-safe: batches are assembled on loader threads.
 */
public interface CaptionTable {

  /**
   * Prepares every text not prepared yet.
   *
   * @return for each text that cannot be used, the reason (texts that succeeded are absent)
   */
  Map<String, String> prepare(Collection<String> texts);

  /** The row of a prepared text, or -1 if it was never prepared or failed. */
  int row(String text);

  /** The text part of a batch whose item {@code i} reads caption row {@code rows[i]}. */
  TextBatch batch(int[] rows);
}
