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
 * The CLIP-style dual encoder: an {@link ImageTower}, a {@link TextTower} and a learnable logit
 * scale.
 *
 * <p>Forward inputs {@code [pixels [B,3,S,S], tokens [B,T] int64, lengths [B] int64]}; outputs
 * {@code [imageEmbeddings [B,D], textEmbeddings [B,D], logitScale []]}. The logit scale is stored
 * as its logarithm, initialised to {@code ln(1/0.07)}, and used as {@code min(exp(s), 100)} so it
 * can never exceed 100 (as in CLIP).
 */
public final class DualEncoder extends AbstractBlock {

  private static final byte VERSION = 1;

  /** Initial temperature of CLIP: logits start at {@code cosine / 0.07}. */
  public static final float INITIAL_TEMPERATURE = 0.07f;

  /** Largest logit scale (CLIP's clamp). */
  public static final float MAX_LOGIT_SCALE = 100f;

  private final DualEncoderConfig config;
  private final ImageTower imageTower;
  private final TextTower textTower;
  private final Parameter logLogitScale;

  /** Builds the (uninitialised) model; initialise with {@link #initialize(NDManager)}. */
  public DualEncoder(DualEncoderConfig config) {
    super(VERSION);
    this.config = config;
    imageTower = addChildBlock("image", new ImageTower(config));
    textTower = addChildBlock("text", new TextTower(config));
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

  public ImageTower imageTower() {
    return imageTower;
  }

  public TextTower textTower() {
    return textTower;
  }

  /** Initialises every parameter for the configured shapes, in float32. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, inputShapes(2, config.maxTokens()));
  }

  /** Input shapes of a batch of {@code batch} items with {@code tokens} token steps. */
  public Shape[] inputShapes(long batch, long tokens) {
    int s = config.imageSize();
    return new Shape[] {new Shape(batch, 3, s, s), new Shape(batch, tokens), new Shape(batch)};
  }

  /** The current logit scale, {@code min(exp(logLogitScale), 100)}. */
  public float logitScale() {
    return Math.min((float) Math.exp(logLogitScale.getArray().getFloat(0)), MAX_LOGIT_SCALE);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray images =
        imageTower.forward(ps, new NDList(inputs.get(0)), training, params).singletonOrThrow();
    NDArray texts =
        textTower
            .forward(ps, new NDList(inputs.get(1), inputs.get(2)), training, params)
            .singletonOrThrow();
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
    imageTower.initialize(manager, dataType, inputShapes[0]);
    textTower.initialize(manager, dataType, inputShapes[1], inputShapes[2]);
  }
}
