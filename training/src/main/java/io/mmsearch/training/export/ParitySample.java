package io.mmsearch.training.export;

import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.text.TokenizedText;
import io.mmsearch.encoders.text.Vocabulary;
import io.mmsearch.encoders.text.WordTokenizer;
import io.mmsearch.training.data.ExampleSource;
import io.mmsearch.training.data.PreparedDataset;
import io.mmsearch.training.data.PreparedExample;
import io.mmsearch.training.data.TrainingExample;
import io.mmsearch.training.model.DualEncoderConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/** Builds the real half of the parity inputs from a dataset, with the serving preprocessing. */
public final class ParitySample {

  private ParitySample() {}

  /**
   * The first {@code rows} usable items of {@code data} (fewer if it has fewer), preprocessed and
   * tokenized exactly as the bundle's encoders will do, padded to {@code maxTokens}.
   *
   * @throws IOException if the data cannot be read or has no usable item
   */
  public static ExportParity.Sample of(
      Path data, DualEncoderConfig config, Vocabulary vocabulary, int rows) throws IOException {
    List<TrainingExample> examples = ExampleSource.read(data).examples();
    List<TrainingExample> head = examples.subList(0, Math.min(examples.size(), rows * 2));
    PreparedDataset prepared =
        PreparedDataset.prepare(
            head,
            new ImagePreprocessor(config.imageSpec()),
            WordTokenizer.forSpec(config.textSpec(), vocabulary),
            new HashMap<>());
    List<PreparedExample> usable = prepared.examples().subList(0, Math.min(rows, prepared.size()));
    if (usable.isEmpty()) {
      throw new IOException("no usable item in " + data + " for the export parity check");
    }
    int n = usable.size();
    int t = config.maxTokens();
    int imageLength = usable.get(0).pixels().length;
    float[] pixels = new float[n * imageLength];
    long[] tokens = new long[n * t];
    long[] lengths = new long[n];
    for (int i = 0; i < n; i++) {
      PreparedExample e = usable.get(i);
      System.arraycopy(e.pixels(), 0, pixels, i * imageLength, imageLength);
      TokenizedText caption = e.captions().get(0);
      System.arraycopy(caption.ids(), 0, tokens, i * t, t);
      lengths[i] = caption.length();
    }
    return new ExportParity.Sample(pixels, tokens, lengths, n);
  }
}
