package io.mmsearch.training.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.text.TextInputSpec;
import java.util.List;

/**
 * The architecture of a dual encoder: everything that decides the shapes of its parameters. Two
 * checkpoints are interchangeable exactly when their configs are equal.
 *
 * <p>Immutable and thread-safe; serialised as JSON into checkpoints.
 *
 * @param imageSize side of the square input image in pixels
 * @param convWidths output channels of each CNN block (conv 3x3 + batch norm + ReLU + max-pool 2);
 *     the number of entries is the number of blocks
 * @param embeddingDim dimension of the shared, L2-normalised embedding space
 * @param tokenEmbeddingDim dimension of the token embedding feeding the BiLSTM
 * @param lstmHidden hidden size of each LSTM direction
 * @param vocabularySize number of token ids, including padding (0) and unknown (1)
 * @param maxTokens longest token sequence the text tower is fed (for {@link
 *     TextTowerKind#BACKBONE_HEAD}: the backbone tokenizer's, special tokens included)
 * @param textTower which text tower; {@code null} (checkpoints written before there was a choice)
 *     reads as {@link TextTowerKind#BILSTM}
 * @param textFeatureDim width of the backbone's pooled features ({@link
 *     TextTowerKind#BACKBONE_HEAD} only, else 0)
 * @param headDropout dropout rate inside the projection head ({@link TextTowerKind#BACKBONE_HEAD}
 *     only)
 * @param textBackbone SHA-256 of the frozen backbone's file ({@link TextTowerKind#BACKBONE_HEAD}
 *     only, else null): a head only fits the features of the backbone it was trained on
 * @param imageTower which image tower; {@code null} (checkpoints written before there was a choice)
 *     reads as {@link ImageTowerKind#CNN}
 * @param imageFeatureDim width of the image backbone's pooled features ({@link
 *     ImageTowerKind#BACKBONE_HEAD} only, else 0)
 * @param imageHiddenDim width of the {@link ImageHead}'s hidden layer ({@link
 *     ImageTowerKind#BACKBONE_HEAD} only)
 * @param imageDropout dropout after the image head's hidden layer ({@link
 *     ImageTowerKind#BACKBONE_HEAD} only)
 * @param imageBackbone identifies the image feature space ({@link ImageTowerKind#BACKBONE_HEAD}
 *     only, else null): the backbone's SHA-256 with its taps and pooling; a head only fits the
 *     features it was trained on
 */
public record DualEncoderConfig(
    @JsonProperty("imageSize") int imageSize,
    @JsonProperty("convWidths") List<Integer> convWidths,
    @JsonProperty("embeddingDim") int embeddingDim,
    @JsonProperty("tokenEmbeddingDim") int tokenEmbeddingDim,
    @JsonProperty("lstmHidden") int lstmHidden,
    @JsonProperty("vocabularySize") int vocabularySize,
    @JsonProperty("maxTokens") int maxTokens,
    @JsonProperty("textTower") TextTowerKind textTower,
    @JsonProperty("textFeatureDim") int textFeatureDim,
    @JsonProperty("headDropout") float headDropout,
    @JsonProperty("textBackbone") String textBackbone,
    @JsonProperty("imageTower") ImageTowerKind imageTower,
    @JsonProperty("imageFeatureDim") int imageFeatureDim,
    @JsonProperty("imageHiddenDim") int imageHiddenDim,
    @JsonProperty("imageDropout") float imageDropout,
    @JsonProperty("imageBackbone") String imageBackbone) {

  /**
   * Default CNN widths: four blocks. Chosen for the 2-core machines this project targets: at 64 px
   * they train about 2.7x more images per CPU-second and encode 4-7x faster in ONNX Runtime than
   * 32-64-128-256 (see docs/benchmarks.md); wider towers are one config line away.
   */
  public static final List<Integer> DEFAULT_CONV_WIDTHS = List.of(16, 32, 64, 128);

  public DualEncoderConfig {
    convWidths = List.copyOf(convWidths);
    imageTower = imageTower == null ? ImageTowerKind.CNN : imageTower;
    requirePositive("imageSize", imageSize);
    if (imageTower == ImageTowerKind.BACKBONE_HEAD) {
      requirePositive("imageFeatureDim", imageFeatureDim);
      requirePositive("imageHiddenDim", imageHiddenDim);
      if (!(imageDropout >= 0 && imageDropout < 1)) {
        throw new IllegalArgumentException("imageDropout must be in [0, 1), got " + imageDropout);
      }
      if (imageBackbone == null || imageBackbone.isBlank()) {
        throw new IllegalArgumentException("an image head needs the image backbone's identity");
      }
    } else if (convWidths.isEmpty()) {
      throw new IllegalArgumentException("the image tower needs at least one block");
    }
    for (int w : convWidths) {
      requirePositive("conv width", w);
    }
    if (imageTower == ImageTowerKind.CNN && imageSize >> convWidths.size() < 1) {
      throw new IllegalArgumentException(
          convWidths.size()
              + " max-pool blocks need an image of at least "
              + (1 << convWidths.size())
              + " px, got "
              + imageSize);
    }
    requirePositive("embeddingDim", embeddingDim);
    requirePositive("maxTokens", maxTokens);
    textTower = textTower == null ? TextTowerKind.BILSTM : textTower;
    if (textTower == TextTowerKind.BILSTM) {
      requirePositive("tokenEmbeddingDim", tokenEmbeddingDim);
      requirePositive("lstmHidden", lstmHidden);
      if (vocabularySize < 3) {
        throw new IllegalArgumentException(
            "vocabulary needs <pad>, <unk> and at least one word, got size " + vocabularySize);
      }
    } else {
      requirePositive("textFeatureDim", textFeatureDim);
      if (textTower == TextTowerKind.BACKBONE && embeddingDim != textFeatureDim) {
        throw new IllegalArgumentException(
            "a frozen text backbone without head embeds in its own "
                + textFeatureDim
                + " dimensions; embeddingDim is "
                + embeddingDim);
      }
      if (!(headDropout >= 0 && headDropout < 1)) {
        throw new IllegalArgumentException("headDropout must be in [0, 1), got " + headDropout);
      }
      if (textBackbone == null || textBackbone.isBlank()) {
        throw new IllegalArgumentException("a backbone head needs the backbone's SHA-256");
      }
    }
  }

  /** A BiLSTM architecture (the fields of the first version of this record). */
  public static DualEncoderConfig biLstm(
      int imageSize,
      List<Integer> convWidths,
      int embeddingDim,
      int tokenEmbeddingDim,
      int lstmHidden,
      int vocabularySize,
      int maxTokens) {
    return new DualEncoderConfig(
        imageSize,
        convWidths,
        embeddingDim,
        tokenEmbeddingDim,
        lstmHidden,
        vocabularySize,
        maxTokens,
        TextTowerKind.BILSTM,
        0,
        0f,
        null,
        ImageTowerKind.CNN,
        0,
        0,
        0f,
        null);
  }

  /** A frozen-backbone architecture: features of width {@code featureDim} into a head. */
  public static DualEncoderConfig backboneHead(
      int imageSize,
      List<Integer> convWidths,
      int embeddingDim,
      int featureDim,
      float headDropout,
      String backboneSha256,
      int maxTokens) {
    return backboneText(
        TextTowerKind.BACKBONE_HEAD,
        imageSize,
        convWidths,
        embeddingDim,
        featureDim,
        headDropout,
        backboneSha256,
        maxTokens);
  }

  /**
   * A frozen-backbone architecture of {@code kind} ({@link TextTowerKind#BACKBONE_HEAD} or {@link
   * TextTowerKind#BACKBONE}).
   */
  public static DualEncoderConfig backboneText(
      TextTowerKind kind,
      int imageSize,
      List<Integer> convWidths,
      int embeddingDim,
      int featureDim,
      float headDropout,
      String backboneSha256,
      int maxTokens) {
    return new DualEncoderConfig(
        imageSize,
        convWidths,
        embeddingDim,
        0,
        0,
        0,
        maxTokens,
        kind,
        featureDim,
        headDropout,
        backboneSha256,
        ImageTowerKind.CNN,
        0,
        0,
        0f,
        null);
  }

  /** The default architecture for a vocabulary of {@code vocabularySize} ids. */
  public static DualEncoderConfig defaults(int vocabularySize) {
    return biLstm(64, DEFAULT_CONV_WIDTHS, 256, 128, 256, vocabularySize, 32);
  }

  /** A copy with another vocabulary size (the vocabulary is only known once data is read). */
  public DualEncoderConfig withVocabularySize(int size) {
    return new DualEncoderConfig(
        imageSize,
        convWidths,
        embeddingDim,
        tokenEmbeddingDim,
        lstmHidden,
        size,
        maxTokens,
        textTower,
        textFeatureDim,
        headDropout,
        textBackbone,
        imageTower,
        imageFeatureDim,
        imageHiddenDim,
        imageDropout,
        imageBackbone);
  }

  /**
   * A copy whose image tower is an {@link ImageHead} on {@code featureDim} frozen backbone features
   * ({@code convWidths} then play no part).
   *
   * @param backbone identifies the feature space (backbone SHA-256, taps, pooling, input size)
   */
  public DualEncoderConfig withImageHead(
      int featureDim, int hiddenDim, float dropout, String backbone) {
    return new DualEncoderConfig(
        imageSize,
        convWidths,
        embeddingDim,
        tokenEmbeddingDim,
        lstmHidden,
        vocabularySize,
        maxTokens,
        textTower,
        textFeatureDim,
        headDropout,
        textBackbone,
        ImageTowerKind.BACKBONE_HEAD,
        featureDim,
        hiddenDim,
        dropout,
        backbone);
  }

  /** Whether the image tower is a head on a frozen image backbone. */
  public boolean hasImageBackbone() {
    return imageTower == ImageTowerKind.BACKBONE_HEAD;
  }

  /** Whether the text side reads a frozen backbone's features (through a head, or as they are). */
  public boolean hasBackbone() {
    return textTower == TextTowerKind.BACKBONE_HEAD || textTower == TextTowerKind.BACKBONE;
  }

  /** The image input the bundle declares: the project defaults at {@link #imageSize()}. */
  public ImageInputSpec imageSpec() {
    ImageInputSpec d = ImageInputSpec.defaults();
    return new ImageInputSpec(imageSize, 3, d.mean(), d.std(), d.resize(), d.background());
  }

  /**
   * The text input of a BiLSTM bundle: word tokens, lower-cased, {@link #maxTokens()}. (A backbone
   * bundle declares its backbone's tokenizer instead; see the export.)
   */
  public TextInputSpec textSpec() {
    TextInputSpec d = TextInputSpec.defaults();
    return new TextInputSpec(d.tokenizer(), d.vocabulary(), maxTokens, d.lowercase());
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
