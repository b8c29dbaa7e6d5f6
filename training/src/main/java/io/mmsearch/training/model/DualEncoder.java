package io.mmsearch.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The CLIP-style dual encoder: an image tower, a text tower and a learnable logit scale. The image
 * tower is an {@link ImageTower} (a CNN on pixels) or an {@link ImageHead} on a frozen image
 * backbone's features, as {@link DualEncoderConfig#imageTower()} says; the text tower is a {@link
 * TextTower} (BiLSTM on word tokens) or a {@link ProjectionHead} on a frozen text backbone's
 * features, as {@link DualEncoderConfig#textTower()} says.
 *
 * <p>Forward inputs: the image input ({@code pixels [B,3,S,S]} or {@code imageFeatures [B,F]}),
 * then {@code tokens [B,T] int64, lengths [B] int64} (BiLSTM) or {@code features [B,F']} (text
 * head); outputs {@code [imageEmbeddings [B,D], textEmbeddings [B,D], logitScale []]}. The logit
 * scale is stored as its logarithm, initialised to {@code ln(1/0.07)}, and used as {@code
 * min(exp(s), 100)} so it can never exceed 100 (as in CLIP).
 */
public final class DualEncoder extends AbstractBlock {

  private static final byte VERSION = 1;

  /** Initial temperature of CLIP: logits start at {@code cosine / 0.07}. */
  public static final float INITIAL_TEMPERATURE = 0.07f;

  /** Largest logit scale (CLIP's clamp). */
  public static final float MAX_LOGIT_SCALE = 100f;

  private final DualEncoderConfig config;
  private final ImageTower imageTower;
  private final ImageHead imageHead;
  private final TextTower textTower;
  private final ProjectionHead projectionHead;
  private final FrozenText frozenText;
  private final Parameter logLogitScale;

  /** Builds the (uninitialised) model; initialise with {@link #initialize(NDManager)}. */
  public DualEncoder(DualEncoderConfig config) {
    super(VERSION);
    this.config = config;
    if (config.hasImageBackbone()) {
      imageTower = null;
      imageHead =
          addChildBlock(
              "image",
              new ImageHead(
                  config.imageFeatureDim(),
                  config.imageHiddenDim(),
                  config.embeddingDim(),
                  config.imageDropout()));
    } else {
      imageTower = addChildBlock("image", new ImageTower(config));
      imageHead = null;
    }
    if (config.textTower() == TextTowerKind.BACKBONE) {
      textTower = null;
      projectionHead = null;
      frozenText = addChildBlock("text", new FrozenText());
    } else if (config.hasBackbone()) {
      textTower = null;
      projectionHead =
          addChildBlock(
              "text",
              new ProjectionHead(
                  config.textFeatureDim(), config.embeddingDim(), config.headDropout()));
      frozenText = null;
    } else {
      textTower = addChildBlock("text", new TextTower(config));
      projectionHead = null;
      frozenText = null;
    }
    logLogitScale =
        addParameter(
            Parameter.builder()
                .setName("logLogitScale")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer((float) Math.log(1 / INITIAL_TEMPERATURE)))
                .build());
  }

  /** The architecture this model was built for. */
  public DualEncoderConfig config() {
    return config;
  }

  /**
   * The CNN image tower.
   *
   * @throws IllegalStateException if this model's image tower is a head on a frozen backbone
   */
  public ImageTower imageTower() {
    if (imageTower == null) {
      throw new IllegalStateException("this model's image tower is a head on a frozen backbone");
    }
    return imageTower;
  }

  /**
   * The head on the frozen image backbone.
   *
   * @throws IllegalStateException if this model's image tower is the CNN
   */
  public ImageHead imageHead() {
    if (imageHead == null) {
      throw new IllegalStateException("this model's image tower is the CNN");
    }
    return imageHead;
  }

  /** The image tower's block, whichever it is; input as {@link #imageInputShape}. */
  public AbstractBlock imageBlock() {
    return imageTower != null ? imageTower : imageHead;
  }

  /** The image tower's input shape: pixels {@code [batch,3,S,S]} or features {@code [batch,F]}. */
  public Shape imageInputShape(long batch) {
    int s = config.imageSize();
    return config.hasImageBackbone()
        ? new Shape(batch, config.imageFeatureDim())
        : new Shape(batch, 3, s, s);
  }

  /**
   * The BiLSTM text tower.
   *
   * @throws IllegalStateException if this model's text tower is a backbone head
   */
  public TextTower textTower() {
    if (textTower == null) {
      throw new IllegalStateException("this model's text tower is a head on a frozen backbone");
    }
    return textTower;
  }

  /**
   * The head on the frozen backbone.
   *
   * @throws IllegalStateException if this model's text tower is the BiLSTM
   */
  public ProjectionHead projectionHead() {
    if (projectionHead == null) {
      throw new IllegalStateException("this model's text tower has no projection head");
    }
    return projectionHead;
  }

  /** The text tower's block, whichever it is; inputs as {@link #textInputShapes}. */
  public AbstractBlock textBlock() {
    return textTower != null ? textTower : projectionHead != null ? projectionHead : frozenText;
  }

  /** Initialises every parameter for the configured shapes, in float32. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, inputShapes(2, config.maxTokens()));
  }

  /** Input shapes of a batch of {@code batch} items with {@code tokens} token steps. */
  public Shape[] inputShapes(long batch, long tokens) {
    Shape[] text = textInputShapes(batch, tokens);
    Shape[] all = new Shape[1 + text.length];
    all[0] = imageInputShape(batch);
    System.arraycopy(text, 0, all, 1, text.length);
    return all;
  }

  /** The text tower's input shapes: tokens and lengths, or features. */
  public Shape[] textInputShapes(long batch, long tokens) {
    return config.hasBackbone()
        ? new Shape[] {new Shape(batch, config.textFeatureDim())}
        : new Shape[] {new Shape(batch, tokens), new Shape(batch)};
  }

  /** The current logit scale, {@code min(exp(logLogitScale), 100)}. */
  public float logitScale() {
    return Math.min((float) Math.exp(logLogitScale.getArray().getFloat(0)), MAX_LOGIT_SCALE);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray images =
        imageBlock().forward(ps, new NDList(inputs.get(0)), training, params).singletonOrThrow();
    NDArray texts =
        textBlock().forward(ps, inputs.subNDList(1), training, params).singletonOrThrow();
    // Start from an array of this call's manager so the results are freed with the batch rather
    // than accumulating in the parameters' manager.
    NDArray scale =
        images
            .getManager()
            .zeros(new Shape(1))
            .add(ps.getValue(logLogitScale, images.getDevice(), training))
            .exp()
            .minimum(MAX_LOGIT_SCALE)
            .reshape();
    return new NDList(images, texts, scale);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    return new Shape[] {
      new Shape(batch, config.embeddingDim()), new Shape(batch, config.embeddingDim()), new Shape()
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    imageBlock().initialize(manager, dataType, inputShapes[0]);
    Shape[] text = new Shape[inputShapes.length - 1];
    System.arraycopy(inputShapes, 1, text, 0, text.length);
    textBlock().initialize(manager, dataType, text);
  }
}
