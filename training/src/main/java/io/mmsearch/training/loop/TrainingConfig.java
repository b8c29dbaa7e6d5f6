package io.mmsearch.training.loop;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.training.data.Augmentation;
import io.mmsearch.training.data.DatasetSplit.SplitBy;
import io.mmsearch.training.model.DualEncoderConfig;
import io.mmsearch.training.model.ImageTowerKind;
import io.mmsearch.training.model.TextTowerKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Every knob of a training run. Immutable; build with {@link #builder()}, or read a JSON file with
 * {@link Builder#readJson(Path)} whose keys are the builder's option names (unknown keys fail).
 *
 * <p>The architecture fields ({@code imageSize}, {@code convWidths}, {@code embeddingDim}, {@code
 * tokenEmbeddingDim}, {@code lstmHidden}, {@code maxTokens}) become the model's {@link
 * DualEncoderConfig} once the vocabulary size is known.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public final class TrainingConfig {

  @JsonProperty private final int epochs;
  @JsonProperty private final int batchSize;
  @JsonProperty private final float learningRate;
  @JsonProperty private final float weightDecay;
  @JsonProperty private final float warmupFraction;
  @JsonProperty private final float gradientClipNorm;
  @JsonProperty private final long seed;
  @JsonProperty private final int patience;
  @JsonProperty private final float hardNegativeWeight;
  @JsonProperty private final int hardNegativeCount;
  @JsonProperty private final float hardNegativeMargin;
  @JsonProperty private final Augmentation augmentation;
  @JsonProperty private final double validationFraction;
  @JsonProperty private final SplitBy splitBy;
  @JsonProperty private final int minTokenFrequency;
  @JsonProperty private final int maxVocabulary;
  @JsonProperty private final int loaderThreads;
  @JsonProperty private final int torchThreads;
  @JsonProperty private final int imageSize;
  @JsonProperty private final List<Integer> convWidths;
  @JsonProperty private final int embeddingDim;
  @JsonProperty private final int tokenEmbeddingDim;
  @JsonProperty private final int lstmHidden;
  @JsonProperty private final int maxTokens;
  @JsonProperty private final TextTowerKind textTower;
  @JsonProperty private final float headDropout;
  @JsonProperty private final boolean keywordCaptions;
  @JsonProperty private final ImageTowerKind imageTower;
  @JsonProperty private final int backboneImageSize;
  @JsonProperty private final int imageHiddenDim;
  @JsonProperty private final float imageDropout;
  @JsonProperty private final int featureViews;
  @JsonProperty private final List<String> imageTaps;

  private TrainingConfig(Builder b) {
    epochs = positive("epochs", b.epochs);
    batchSize = b.batchSize;
    if (batchSize < 2) {
      throw new IllegalArgumentException(
          "batchSize must be at least 2 (contrastive learning needs negatives), got " + batchSize);
    }
    learningRate = b.learningRate;
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
    }
    weightDecay = b.weightDecay;
    warmupFraction = b.warmupFraction;
    if (!(warmupFraction >= 0 && warmupFraction < 1)) {
      throw new IllegalArgumentException("warmupFraction must be in [0, 1), got " + warmupFraction);
    }
    gradientClipNorm = b.gradientClipNorm;
    seed = b.seed;
    patience = positive("patience", b.patience);
    hardNegativeWeight = b.hardNegativeWeight;
    hardNegativeCount = b.hardNegativeCount;
    hardNegativeMargin = b.hardNegativeMargin;
    augmentation = b.augmentation;
    validationFraction = b.validationFraction;
    splitBy = b.splitBy;
    minTokenFrequency = positive("minTokenFrequency", b.minTokenFrequency);
    maxVocabulary = positive("maxVocabulary", b.maxVocabulary);
    loaderThreads = positive("loaderThreads", b.loaderThreads);
    torchThreads = b.torchThreads;
    if (torchThreads < 0) {
      throw new IllegalArgumentException("torchThreads must be >= 0, got " + torchThreads);
    }
    imageSize = b.imageSize;
    convWidths = List.copyOf(b.convWidths);
    embeddingDim = b.embeddingDim;
    tokenEmbeddingDim = b.tokenEmbeddingDim;
    lstmHidden = b.lstmHidden;
    maxTokens = b.maxTokens;
    textTower = b.textTower == null ? TextTowerKind.BILSTM : b.textTower;
    headDropout = b.headDropout;
    keywordCaptions = b.keywordCaptions;
    imageTower = b.imageTower == null ? ImageTowerKind.CNN : b.imageTower;
    backboneImageSize = positive("backboneImageSize", b.backboneImageSize);
    imageHiddenDim = positive("imageHiddenDim", b.imageHiddenDim);
    imageDropout = b.imageDropout;
    featureViews = positive("featureViews", b.featureViews);
    imageTaps = List.copyOf(b.imageTaps);
    // validates the architecture fields now rather than after loading data
    DualEncoderConfig text =
        textTower == TextTowerKind.BILSTM
            ? architecture(3)
            : backboneArchitecture(
                textTower == TextTowerKind.BACKBONE ? embeddingDim : 1, "validation");
    if (imageTower == ImageTowerKind.BACKBONE_HEAD) {
      imageHeadArchitecture(text, 1, "validation");
    }
    new ContrastiveLoss(hardNegativeWeight, hardNegativeCount, hardNegativeMargin);
  }

  private static int positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
    return v;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset with this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.learningRate = learningRate;
    b.weightDecay = weightDecay;
    b.warmupFraction = warmupFraction;
    b.gradientClipNorm = gradientClipNorm;
    b.seed = seed;
    b.patience = patience;
    b.hardNegativeWeight = hardNegativeWeight;
    b.hardNegativeCount = hardNegativeCount;
    b.hardNegativeMargin = hardNegativeMargin;
    b.augmentation = augmentation;
    b.validationFraction = validationFraction;
    b.splitBy = splitBy;
    b.minTokenFrequency = minTokenFrequency;
    b.maxVocabulary = maxVocabulary;
    b.loaderThreads = loaderThreads;
    b.torchThreads = torchThreads;
    b.imageSize = imageSize;
    b.convWidths = convWidths;
    b.embeddingDim = embeddingDim;
    b.tokenEmbeddingDim = tokenEmbeddingDim;
    b.lstmHidden = lstmHidden;
    b.maxTokens = maxTokens;
    b.textTower = textTower;
    b.headDropout = headDropout;
    b.keywordCaptions = keywordCaptions;
    b.imageTower = imageTower;
    b.backboneImageSize = backboneImageSize;
    b.imageHiddenDim = imageHiddenDim;
    b.imageDropout = imageDropout;
    b.featureViews = featureViews;
    b.imageTaps = imageTaps;
    return b;
  }

  /** The BiLSTM model architecture for a vocabulary of {@code vocabularySize} ids. */
  public DualEncoderConfig architecture(int vocabularySize) {
    return DualEncoderConfig.biLstm(
        imageSize,
        convWidths,
        embeddingDim,
        tokenEmbeddingDim,
        lstmHidden,
        vocabularySize,
        maxTokens);
  }

  /**
   * The architecture of a text side on a frozen backbone's features of width {@code featureDim}
   * (through a head, or as they are for {@link TextTowerKind#BACKBONE}, whose embedding dimension
   * is then the backbone's).
   */
  public DualEncoderConfig backboneArchitecture(int featureDim, String backboneSha256) {
    return DualEncoderConfig.backboneText(
        textTower,
        imageSize,
        convWidths,
        textTower == TextTowerKind.BACKBONE ? featureDim : embeddingDim,
        featureDim,
        headDropout,
        backboneSha256,
        maxTokens);
  }

  /**
   * {@code text} (an architecture with its text tower settled) with this config's image tower: the
   * CNN as it is, or an image head on {@code featureDim} backbone features (input size {@link
   * #backboneImageSize()}).
   *
   * @param imageBackbone identifies the image feature space (ignored for the CNN)
   */
  public DualEncoderConfig imageHeadArchitecture(
      DualEncoderConfig text, int featureDim, String imageBackbone) {
    if (imageTower == ImageTowerKind.CNN) {
      return text;
    }
    DualEncoderConfig resized =
        new DualEncoderConfig(
            backboneImageSize,
            text.convWidths(),
            text.embeddingDim(),
            text.tokenEmbeddingDim(),
            text.lstmHidden(),
            text.vocabularySize(),
            text.maxTokens(),
            text.textTower(),
            text.textFeatureDim(),
            text.headDropout(),
            text.textBackbone(),
            null,
            0,
            0,
            0f,
            null);
    return resized.withImageHead(featureDim, imageHiddenDim, imageDropout, imageBackbone);
  }

  /** Which image tower to train. */
  public ImageTowerKind imageTower() {
    return imageTower;
  }

  /** Input size of the frozen image backbone (image head only). */
  public int backboneImageSize() {
    return backboneImageSize;
  }

  /** Width of the image head's hidden layer. */
  public int imageHiddenDim() {
    return imageHiddenDim;
  }

  /** Dropout after the image head's hidden layer. */
  public float imageDropout() {
    return imageDropout;
  }

  /**
   * Views of each training image whose backbone features are computed (image head only): the image
   * as preprocessed plus {@code featureViews - 1} augmented ones; each training step reads one of
   * them. Validation reads the first.
   */
  public int featureViews() {
    return featureViews;
  }

  /**
   * The taps of the image backbone graph the head reads (empty: every feature the graph outputs).
   * For choosing taps: a graph with many candidate taps is run once per image and view, and runs
   * with different selections share that cache. A head on a selection is not exported (its bundle
   * would need a graph with exactly those taps).
   */
  public List<String> imageTaps() {
    return imageTaps;
  }

  /** Which text tower to train. */
  public TextTowerKind textTower() {
    return textTower;
  }

  /** Dropout inside the projection head (backbone head only). */
  public float headDropout() {
    return headDropout;
  }

  /** Whether a manifest item's keywords (e.g. tags) are extra captions of it. */
  public boolean keywordCaptions() {
    return keywordCaptions;
  }

  /** Full passes over the training split. */
  public int epochs() {
    return epochs;
  }

  /** Pairs per step; the in-batch negatives of each pair are the other {@code batchSize - 1}. */
  public int batchSize() {
    return batchSize;
  }

  /** Peak learning rate of AdamW, reached after warm-up. */
  public float learningRate() {
    return learningRate;
  }

  /** AdamW's decoupled weight decay. */
  public float weightDecay() {
    return weightDecay;
  }

  /** Share of all steps spent in linear warm-up before the cosine decay. */
  public float warmupFraction() {
    return warmupFraction;
  }

  /** Gradients are rescaled so their global L2 norm is at most this; 0 disables clipping. */
  public float gradientClipNorm() {
    return gradientClipNorm;
  }

  /** Seeds initialisation, shuffling, caption sampling, augmentation and the split. */
  public long seed() {
    return seed;
  }

  /** Epochs without a better validation score before training stops early. */
  public int patience() {
    return patience;
  }

  public float hardNegativeWeight() {
    return hardNegativeWeight;
  }

  public int hardNegativeCount() {
    return hardNegativeCount;
  }

  public float hardNegativeMargin() {
    return hardNegativeMargin;
  }

  public Augmentation augmentation() {
    return augmentation;
  }

  /** Share of items (or concepts) held out for validation. */
  public double validationFraction() {
    return validationFraction;
  }

  public SplitBy splitBy() {
    return splitBy;
  }

  /** Words seen fewer times in the training captions map to {@code <unk>}. */
  public int minTokenFrequency() {
    return minTokenFrequency;
  }

  /** Largest vocabulary, including {@code <pad>} and {@code <unk>}. */
  public int maxVocabulary() {
    return maxVocabulary;
  }

  /** Threads assembling (augmenting) the next batches while the current step runs. */
  public int loaderThreads() {
    return loaderThreads;
  }

  /**
   * libtorch intra-op threads for the run (process-wide in libtorch); 0 means automatic: one per
   * core, less one per loader thread, at least 1 (on 2 cores: 1). Oversubscribed libtorch worker
   * threads wait for each other at every operator; on the shared 2-core machine 2 threads trained
   * 3.5x slower than 1 (docs/benchmarks.md).
   */
  public int torchThreads() {
    return torchThreads;
  }

  /** {@link #torchThreads()} with 0 resolved for this machine. */
  public int effectiveTorchThreads() {
    return torchThreads > 0
        ? torchThreads
        : Math.max(1, Runtime.getRuntime().availableProcessors() - loaderThreads);
  }

  public int imageSize() {
    return imageSize;
  }

  public int maxTokens() {
    return maxTokens;
  }

  /** Writes this config as JSON (the format {@link Builder#readJson} reads). */
  public String toJson() {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builder with the project's defaults (the default model). */
  @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
  public static final class Builder {
    @JsonProperty private int epochs = 30;
    @JsonProperty private int batchSize = 128;
    @JsonProperty private float learningRate = 2e-3f;
    @JsonProperty private float weightDecay = 0.01f;
    @JsonProperty private float warmupFraction = 0.05f;
    @JsonProperty private float gradientClipNorm = 1f;
    @JsonProperty private long seed = 42;
    @JsonProperty private int patience = 5;
    @JsonProperty private float hardNegativeWeight = 0f;
    @JsonProperty private int hardNegativeCount = 3;
    @JsonProperty private float hardNegativeMargin = 0.2f;
    @JsonProperty private Augmentation augmentation = Augmentation.defaults();
    @JsonProperty private double validationFraction = 0.1;
    @JsonProperty private SplitBy splitBy = SplitBy.ID;
    @JsonProperty private int minTokenFrequency = 1;
    @JsonProperty private int maxVocabulary = 30_000;
    @JsonProperty private int loaderThreads = 1;
    @JsonProperty private int torchThreads = 0;
    @JsonProperty private int imageSize = 64;
    @JsonProperty private List<Integer> convWidths = DualEncoderConfig.DEFAULT_CONV_WIDTHS;
    @JsonProperty private int embeddingDim = 256;
    @JsonProperty private int tokenEmbeddingDim = 128;
    @JsonProperty private int lstmHidden = 256;
    @JsonProperty private int maxTokens = 64;
    @JsonProperty private TextTowerKind textTower = TextTowerKind.BACKBONE_HEAD;
    @JsonProperty private float headDropout = 0.1f;
    @JsonProperty private boolean keywordCaptions = true;
    @JsonProperty private ImageTowerKind imageTower = ImageTowerKind.BACKBONE_HEAD;
    @JsonProperty private int backboneImageSize = 128;
    @JsonProperty private int imageHiddenDim = 1024;
    @JsonProperty private float imageDropout = 0.3f;
    @JsonProperty private int featureViews = 8;
    @JsonProperty private List<String> imageTaps = List.of();

    private Builder() {}

    /**
     * Overrides the options named in a JSON object file, e.g. {@code {"epochs": 40, "convWidths":
     * [32, 64, 128, 256], "augmentation": {...}}}.
     *
     * @throws IOException naming the file and the bad key or value
     */
    public Builder readJson(Path file) throws IOException {
      try {
        Json.MAPPER.readerForUpdating(this).readValue(file.toFile());
      } catch (IOException e) {
        throw new IOException("bad training config " + file + ": " + e.getMessage(), e);
      }
      return this;
    }

    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder learningRate(float v) {
      learningRate = v;
      return this;
    }

    public Builder weightDecay(float v) {
      weightDecay = v;
      return this;
    }

    public Builder warmupFraction(float v) {
      warmupFraction = v;
      return this;
    }

    public Builder gradientClipNorm(float v) {
      gradientClipNorm = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder patience(int v) {
      patience = v;
      return this;
    }

    /** Enables the hard-negative margin term (weight 0 disables it). */
    public Builder hardNegatives(float weight, int count, float margin) {
      hardNegativeWeight = weight;
      hardNegativeCount = count;
      hardNegativeMargin = margin;
      return this;
    }

    public Builder augmentation(Augmentation v) {
      augmentation = v;
      return this;
    }

    public Builder validation(double fraction, SplitBy by) {
      validationFraction = fraction;
      splitBy = by;
      return this;
    }

    public Builder vocabulary(int minFrequency, int maxSize) {
      minTokenFrequency = minFrequency;
      maxVocabulary = maxSize;
      return this;
    }

    public Builder loaderThreads(int v) {
      loaderThreads = v;
      return this;
    }

    /** libtorch intra-op threads; 0 for one per core less the loader threads. */
    public Builder torchThreads(int v) {
      torchThreads = v;
      return this;
    }

    /** Image tower: input size and one width per conv block. */
    public Builder imageTower(int size, List<Integer> widths) {
      imageSize = size;
      convWidths = List.copyOf(widths);
      return this;
    }

    /** Text tower: token embedding size, LSTM hidden size per direction, max tokens. */
    public Builder textTower(int tokenEmbedding, int hidden, int tokens) {
      tokenEmbeddingDim = tokenEmbedding;
      lstmHidden = hidden;
      maxTokens = tokens;
      return this;
    }

    public Builder embeddingDim(int v) {
      embeddingDim = v;
      return this;
    }

    /** Which text tower: the BiLSTM or a head on a frozen backbone. */
    public Builder textTower(TextTowerKind v) {
      textTower = v;
      return this;
    }

    /** Dropout inside the projection head (backbone head only). */
    public Builder headDropout(float v) {
      headDropout = v;
      return this;
    }

    /** Whether a manifest item's keywords become extra captions. */
    public Builder keywordCaptions(boolean v) {
      keywordCaptions = v;
      return this;
    }

    /** Longest token sequence (the word tokenizer's, or the backbone tokenizer's). */
    public Builder maxTokens(int v) {
      maxTokens = v;
      return this;
    }

    /** Which image tower: the CNN or a head on a frozen image backbone. */
    public Builder imageTower(ImageTowerKind v) {
      imageTower = v;
      return this;
    }

    /**
     * Image head on a frozen backbone: backbone input size, hidden width, dropout and the number of
     * views per training image whose features are cached.
     */
    public Builder imageHead(int inputSize, int hiddenDim, float dropout, int views) {
      backboneImageSize = inputSize;
      imageHiddenDim = hiddenDim;
      imageDropout = dropout;
      featureViews = views;
      return this;
    }

    /** The image backbone graph's taps the head reads (empty: all). */
    public Builder imageTaps(List<String> taps) {
      imageTaps = List.copyOf(taps);
      return this;
    }

    public TrainingConfig build() {
      return new TrainingConfig(this);
    }
  }

  /** Shared JSON settings: unknown keys are errors. */
  static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}
  }
}
