package io.mmsearch.training.export;

import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.text.WordTokenizer;
import io.mmsearch.training.data.Augmentation;
import io.mmsearch.training.data.CaptionTable;
import io.mmsearch.training.data.ExampleSource;
import io.mmsearch.training.data.FeatureCaptionTable;
import io.mmsearch.training.data.ImageData;
import io.mmsearch.training.data.ImageFeatureCache;
import io.mmsearch.training.data.ImageInputs;
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
   * The first {@code rows} usable items of {@code data} (fewer if it has fewer), their images as
   * the checkpoint's image tower reads them (preprocessed as the bundle's image encoder does, or
   * the backbone's features of the image as preprocessed), with their first captions as its text
   * tower reads them: word tokens of its vocabulary, or the backbone's features.
   *
   * @param textFeatures the text backbone's features (a text head), or null (a BiLSTM)
   * @param imageFeatures the image backbone's feature cache (an image head), or null (the CNN)
   * @throws IOException if the data cannot be read or has no usable item
   */
  public static ExportParity.Sample of(
      List<Path> data,
      Checkpoint checkpoint,
      TextFeatureSource textFeatures,
      ImageFeatureCache imageFeatures,
      int rows)
      throws IOException {
    DualEncoderConfig config = checkpoint.state().architecture();
    CaptionTable captions =
        config.hasBackbone()
            ? new FeatureCaptionTable(textFeatures)
            : new TokenCaptionTable(
                WordTokenizer.forSpec(config.textSpec(), checkpoint.vocabulary()));
    List<TrainingExample> head = new ArrayList<>();
    for (Path source : data) {
      List<TrainingExample> examples = ExampleSource.read(source).examples();
      head.addAll(examples.subList(0, Math.min(examples.size(), rows * 2 - head.size())));
      if (head.size() >= rows * 2) {
        break;
      }
    }
    ImageInputs images =
        config.hasImageBackbone()
            ? ImageInputs.backboneFeatures(imageFeatures, 1, Augmentation.none(), 0)
            : ImageInputs.pixels(new ImagePreprocessor(config.imageSpec()));
    PreparedDataset prepared = PreparedDataset.prepare(head, images, captions, new HashMap<>());
    List<PreparedExample> usable = prepared.examples().subList(0, Math.min(rows, prepared.size()));
    if (usable.isEmpty()) {
      throw new IOException("no usable item in " + data + " for the export parity check");
    }
    int n = usable.size();
    int imageLength = usable.get(0).image().length();
    float[] imageInputs = new float[n * imageLength];
    int[] captionRows = new int[n];
    List<String> texts = new ArrayList<>(n);
    List<Path> files = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PreparedExample e = usable.get(i);
      switch (e.image()) {
        case ImageData.Pixels p ->
            System.arraycopy(p.values(), 0, imageInputs, i * imageLength, imageLength);
        case ImageData.Features f -> f.copyView(0, imageInputs, i * imageLength);
      }
      captionRows[i] = e.captions()[0];
      TrainingExample source = sourceOf(head, e);
      texts.add(firstUsableCaption(source, e, captions));
      files.add(source.image());
    }
    return new ExportParity.Sample(
        imageInputs, usable.get(0).image().shape(), files, captions.batch(captionRows), texts, n);
  }

  private static TrainingExample sourceOf(List<TrainingExample> source, PreparedExample e) {
    for (TrainingExample t : source) {
      if (t.id().equals(e.id())) {
        return t;
      }
    }
    throw new IllegalStateException("item " + e.id() + " not found");
  }

  private static String firstUsableCaption(
      TrainingExample source, PreparedExample e, CaptionTable captions) {
    for (String c : source.captions()) {
      if (captions.row(c) == e.captions()[0]) {
        return c;
      }
    }
    throw new IllegalStateException("caption of " + e.id() + " not found");
  }
}
