package io.mmsearch.training.loop;

import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import io.mmsearch.encoders.text.VocabularyBuilder;
import io.mmsearch.encoders.text.WordSplitter;
import io.mmsearch.encoders.text.WordTokenizer;
import io.mmsearch.training.data.BackboneImageFeatures;
import io.mmsearch.training.data.CaptionTable;
import io.mmsearch.training.data.DatasetProblem;
import io.mmsearch.training.data.DatasetSplit;
import io.mmsearch.training.data.ExampleSource;
import io.mmsearch.training.data.FeatureCaptionTable;
import io.mmsearch.training.data.ImageData;
import io.mmsearch.training.data.ImageFeatureCache;
import io.mmsearch.training.data.ImageInputs;
import io.mmsearch.training.data.PreparedDataset;
import io.mmsearch.training.data.PreparedExample;
import io.mmsearch.training.data.TapSelection;
import io.mmsearch.training.data.TextFeatureSource;
import io.mmsearch.training.data.TokenCaptionTable;
import io.mmsearch.training.data.TrainingExample;
import io.mmsearch.training.model.DualEncoderConfig;
import io.mmsearch.training.model.ImageTowerKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of one run, read, split and prepared: the training and validation sets with their images
 * as the image tower reads them and their captions as the text tower reads them, the vocabulary
 * (BiLSTM), the concept ids, everything skipped, and the model architecture that fits them.
 * Immutable once prepared.
 */
final class TrainingData {

  final List<Path> sources;
  final PreparedDataset train;
  final PreparedDataset validation;
  final List<DatasetProblem> problems;
  final Map<String, Integer> concepts;
  final Vocabulary vocabulary;
  final DualEncoderConfig architecture;
  final double prepareSeconds;

  private TrainingData(
      List<Path> sources,
      PreparedDataset train,
      PreparedDataset validation,
      List<DatasetProblem> problems,
      Map<String, Integer> concepts,
      Vocabulary vocabulary,
      DualEncoderConfig architecture,
      double prepareSeconds) {
    this.sources = List.copyOf(sources);
    this.train = train;
    this.validation = validation;
    this.problems = List.copyOf(problems);
    this.concepts = concepts;
    this.vocabulary = vocabulary;
    this.architecture = architecture;
    this.prepareSeconds = prepareSeconds;
  }

  /**
   * Reads {@code sources} (manifests or class folders, concatenated), splits and prepares them.
   *
   * @param resumeFrom the checkpoint a resumed run continues (its vocabulary and concept ids are
   *     kept), or null
   * @param textFeatures the frozen text backbone's features, or null for the BiLSTM
   * @param imageFeatures the frozen image backbone's feature cache, or null for the CNN
   * @throws TrainingDataException if no usable data remains
   */
  static TrainingData prepare(
      TrainingConfig config,
      List<Path> sources,
      Checkpoint resumeFrom,
      TextFeatureSource textFeatures,
      ImageFeatureCache imageFeatures,
      PrintStream log)
      throws IOException {
    List<TrainingExample> examples = new ArrayList<>();
    List<DatasetProblem> problems = new ArrayList<>();
    Map<String, Path> ids = new HashMap<>();
    for (Path source : sources) {
      ExampleSource.Examples read = ExampleSource.read(source, config.keywordCaptions());
      problems.addAll(read.problems());
      for (TrainingExample e : read.examples()) {
        Path first = ids.putIfAbsent(e.id(), source);
        if (first != null) {
          problems.add(
              new DatasetProblem(
                  e.id() + " in " + source, "duplicate id: already an item of " + first));
        } else {
          examples.add(e);
        }
      }
    }
    if (examples.isEmpty()) {
      throw new TrainingDataException(noDataMessage(sources, "no items", problems));
    }
    DatasetSplit split =
        DatasetSplit.of(examples, config.validationFraction(), config.splitBy(), config.seed());
    Vocabulary vocabulary = null;
    CaptionTable captions;
    if (textFeatures == null) {
      TextInputSpec textSpec = DualEncoderTrainer.textSpec(config);
      vocabulary =
          resumeFrom != null
              ? resumeFrom.vocabulary()
              : buildVocabulary(config, split.train(), textSpec);
      captions = new TokenCaptionTable(WordTokenizer.forSpec(textSpec, vocabulary));
    } else {
      captions = new FeatureCaptionTable(textFeatures);
    }
    TapSelection taps = tapSelection(config, imageFeatures);
    ImageInputs images =
        imageFeatures == null
            ? ImageInputs.pixels(new ImagePreprocessor(DualEncoderTrainer.imageSpec(config)))
            : ImageInputs.backboneFeatures(
                imageFeatures, config.featureViews(), config.augmentation(), config.seed(), taps);
    Map<String, Integer> concepts =
        resumeFrom != null ? new HashMap<>(resumeFrom.state().concepts()) : new LinkedHashMap<>();
    long start = System.nanoTime();
    log.printf(
        "preparing %d training and %d validation items: %s, %s ...%n",
        split.train().size(),
        split.validation().size(),
        textFeatures == null
            ? "captions tokenized"
            : "captions through the frozen text backbone (cached in "
                + textFeaturesWhere(textFeatures)
                + ")",
        imageFeatures == null
            ? "images decoded"
            : "images through the frozen image backbone, "
                + config.featureViews()
                + " view(s) per training image (cached in "
                + imageFeatures.folder()
                + ")");
    int imageViewsBefore = imageFeatures == null ? 0 : imageFeatures.computed();
    PreparedDataset train = PreparedDataset.prepare(split.train(), images, captions, concepts);
    // Validation reads the clean view only: no augmented views to compute for it.
    ImageInputs validationImages =
        imageFeatures == null
            ? images
            : ImageInputs.backboneFeatures(
                imageFeatures, 1, config.augmentation(), config.seed(), taps);
    PreparedDataset validation =
        PreparedDataset.prepare(split.validation(), validationImages, captions, concepts);
    double prepareSeconds = (System.nanoTime() - start) / 1e9;
    if (imageFeatures != null) {
      int computed = imageFeatures.computed() - imageViewsBefore;
      log.printf(
          "image backbone: %d view(s) computed in %.1f s, the rest from the cache%n",
          computed, prepareSeconds);
    }
    problems.addAll(train.problems());
    problems.addAll(validation.problems());
    if (train.size() < 2) {
      throw new TrainingDataException(
          noDataMessage(
              sources, train.size() + " usable training item(s); at least 2 are needed", problems));
    }
    DualEncoderConfig text =
        vocabulary != null
            ? config.architecture(vocabulary.size())
            : config.backboneArchitecture(textFeatures.dimension(), textFeatures.backboneSha256());
    DualEncoderConfig architecture =
        config.imageTower() == ImageTowerKind.BACKBONE_HEAD
            ? config.imageHeadArchitecture(
                text,
                taps == null ? imageFeatures.source().dimension() : taps.dimension(),
                imageFeatures.source().cacheKey() + (taps == null ? "" : "/taps=" + taps))
            : text;
    return new TrainingData(
        sources, train, validation, problems, concepts, vocabulary, architecture, prepareSeconds);
  }

  /** The taps a config selects from the image backbone graph's layout, or null for all. */
  private static TapSelection tapSelection(TrainingConfig config, ImageFeatureCache features) {
    if (features == null || config.imageTaps().isEmpty()) {
      return null;
    }
    String layout = features.source() instanceof BackboneImageFeatures b ? b.tapLayout() : null;
    if (layout == null) {
      throw new IllegalArgumentException(
          "imageTaps needs an image backbone graph with a tap layout (a backbone-converter"
              + " graph given with --image-backbone); "
              + features.source()
              + " has none");
    }
    return TapSelection.of(config.imageTaps(), layout);
  }

  private static String textFeaturesWhere(TextFeatureSource features) {
    return features instanceof io.mmsearch.training.data.TextFeatureCache c
        ? c.folder().toString()
        : "memory only";
  }

  /**
   * Per-feature mean and standard deviation of the training images' clean views (image head only):
   * the head's input standardisation.
   */
  float[][] featureStatistics() {
    int dim = architecture.imageFeatureDim();
    double[] sum = new double[dim];
    double[] sumSquares = new double[dim];
    float[] row = new float[dim];
    for (PreparedExample e : train.examples()) {
      ((ImageData.Features) e.image()).copyView(0, row, 0);
      for (int i = 0; i < dim; i++) {
        sum[i] += row[i];
        sumSquares[i] += (double) row[i] * row[i];
      }
    }
    int n = train.size();
    float[] mean = new float[dim];
    float[] std = new float[dim];
    for (int i = 0; i < dim; i++) {
      double m = sum[i] / n;
      mean[i] = (float) m;
      std[i] = (float) Math.sqrt(Math.max(0, sumSquares[i] / n - m * m));
    }
    return new float[][] {mean, std};
  }

  /** The dataset as provenance names it: the one source, or all of them joined by '+'. */
  String datasetName() {
    return String.join(" + ", sources.stream().map(p -> p.normalize().toString()).toList());
  }

  /** One line describing what the run trains on. */
  String describe() {
    return String.format(
        "training on %d items (%d concepts), validating on %d, %s, %s, %d skipped"
            + " (data prepared in %.1f s)",
        train.size(),
        concepts.size(),
        validation.size(),
        architecture.hasImageBackbone()
            ? "frozen image backbone features " + architecture.imageFeatureDim() + "-d"
            : "CNN on " + architecture.imageSize() + " px",
        vocabulary != null
            ? "vocabulary " + vocabulary.size()
            : "frozen text backbone features " + architecture.textFeatureDim() + "-d",
        problems.size(),
        prepareSeconds);
  }

  private static Vocabulary buildVocabulary(
      TrainingConfig config, List<TrainingExample> examples, TextInputSpec spec) {
    VocabularyBuilder builder =
        new VocabularyBuilder(new WordSplitter(spec.lowercase()))
            .minFrequency(config.minTokenFrequency())
            .maxSize(config.maxVocabulary());
    for (TrainingExample e : examples) {
      for (String caption : e.captions()) {
        builder.addText(caption);
      }
    }
    return builder.build();
  }

  static String noDataMessage(List<Path> sources, String what, List<DatasetProblem> problems) {
    StringBuilder s =
        new StringBuilder("nothing to train on in ")
            .append(String.join(" + ", sources.stream().map(Path::toString).toList()))
            .append(": ")
            .append(what);
    if (!problems.isEmpty()) {
      s.append("; ").append(problems.size()).append(" item(s) skipped, e.g.");
      problems.stream().limit(5).forEach(p -> s.append("\n  ").append(p));
    }
    return s.toString();
  }
}
