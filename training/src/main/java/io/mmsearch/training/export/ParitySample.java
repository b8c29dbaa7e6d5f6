package io.mmsearch.training.export;

import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.text.WordTokenizer;
import io.mmsearch.training.data.CaptionTable;
import io.mmsearch.training.data.ExampleSource;
import io.mmsearch.training.data.FeatureCaptionTable;
import io.mmsearch.training.data.PreparedDataset;
import io.mmsearch.training.data.PreparedExample;
import io.mmsearch.training.data.TextFeatureSource;
import io.mmsearch.training.data.TokenCaptionTable;
import io.mmsearch.training.data.TrainingExample;
import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.model.DualEncoderConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** Builds the real half of the parity inputs from a dataset, with the serving preprocessing. */
public final class ParitySample {

  private ParitySample() {}

  /**
   * The first {@code rows} usable items of {@code data} (fewer if it has fewer), preprocessed as
   * the bundle's image encoder does, with their first captions as the checkpoint's text tower reads
   * them: word tokens of its vocabulary, or the backbone's features from {@code features}.
   *
   * @param features the backbone's features (a backbone head), or null (a BiLSTM)
   * @throws IOException if the data cannot be read or has no usable item
   */
  public static ExportParity.Sample of(
      Path data, Checkpoint checkpoint, TextFeatureSource features, int rows) throws IOException {
    DualEncoderConfig config = checkpoint.state().architecture();
    CaptionTable captions =
        config.hasBackbone()
            ? new FeatureCaptionTable(features)
            : new TokenCaptionTable(
                WordTokenizer.forSpec(config.textSpec(), checkpoint.vocabulary()));
    List<TrainingExample> examples = ExampleSource.read(data).examples();
    List<TrainingExample> head = examples.subList(0, Math.min(examples.size(), rows * 2));
    PreparedDataset prepared =
        PreparedDataset.prepare(
            head, new ImagePreprocessor(config.imageSpec()), captions, new HashMap<>());
    List<PreparedExample> usable = prepared.examples().subList(0, Math.min(rows, prepared.size()));
    if (usable.isEmpty()) {
      throw new IOException("no usable item in " + data + " for the export parity check");
    }
    int n = usable.size();
    int imageLength = usable.get(0).pixels().length;
    float[] pixels = new float[n * imageLength];
    int[] captionRows = new int[n];
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PreparedExample e = usable.get(i);
      System.arraycopy(e.pixels(), 0, pixels, i * imageLength, imageLength);
      captionRows[i] = e.captions()[0];
      texts.add(firstUsableCaption(head, e, captions));
    }
    return new ExportParity.Sample(pixels, captions.batch(captionRows), texts, n);
  }

  private static String firstUsableCaption(
      List<TrainingExample> source, PreparedExample e, CaptionTable captions) {
    for (TrainingExample t : source) {
      if (t.id().equals(e.id())) {
        for (String c : t.captions()) {
          if (captions.row(c) == e.captions()[0]) {
            return c;
          }
        }
      }
    }
    throw new IllegalStateException("caption of " + e.id() + " not found");
  }
}
