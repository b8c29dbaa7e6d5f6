package io.mmsearch.training.data;

import io.mmsearch.encoders.text.TokenizedText;
import java.util.List;

/**
 * A decoded, tokenized example held in memory for the whole run.
 *
 * @param id the example's id
 * @param concept index of the example's concept, shared by all items of that concept
 * @param pixels the normalised CHW tensor exactly as the serving preprocessor produces it; never
 *     modified
 * @param captions the tokenized captions (at least one)
 */
public record PreparedExample(
    String id, int concept, float[] pixels, List<TokenizedText> captions) {
  public PreparedExample {
    captions = List.copyOf(captions);
  }
}
