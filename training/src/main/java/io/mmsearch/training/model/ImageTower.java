package io.mmsearch.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The image tower: {@code blocks x (conv 3x3 pad 1, no bias -> batch norm -> ReLU -> max-pool 2x2)}
 * then global average pooling, a linear projection to the shared dimension and L2 normalisation.
 *
 * <p>Input {@code [batch, 3, size, size]} float32 normalised pixels; output {@code [batch,
 * embeddingDim]} unit vectors. The conv layers carry no bias because the batch norm that follows
 * would cancel it; export folds each batch norm into its convolution.
 *
 * <p>Not thread-safe during training (batch norm statistics update); inference with {@code
 * training=false} only reads parameters.
 */
public final class ImageTower extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final float BN_EPSILON = 1e-5f;

  private final DualEncoderConfig config;
  private final List<Conv2d> convs = new ArrayList<>();
  private final List<BatchNorm> norms = new ArrayList<>();
  private final Linear projection;

  /** Builds the (uninitialised) tower for {@code config}. */
  public ImageTower(DualEncoderConfig config) {
    super(VERSION);
    this.config = config;
    for (int i = 0; i < config.convWidths().size(); i++) {
      convs.add(
          addChildBlock(
              "conv" + i,
              Conv2d.builder()
                  .setKernelShape(new Shape(3, 3))
                  .optPadding(new Shape(1, 1))
                  .setFilters(config.convWidths().get(i))
                  .optBias(false)
                  .build()));
      norms.add(addChildBlock("bn" + i, BatchNorm.builder().optEpsilon(BN_EPSILON).build()));
    }
    projection =
        addChildBlock("projection", Linear.builder().setUnits(config.embeddingDim()).build());
  }

  /** The convolutions, input side first. */
  public List<Conv2d> convolutions() {
    return List.copyOf(convs);
  }

  /** The batch norms, one after each convolution. */
  public List<BatchNorm> batchNorms() {
    return List.copyOf(norms);
  }

  /** The final linear projection. */
  public Linear projection() {
    return projection;
  }

  /** Epsilon of every batch norm (export needs it to fold them). */
  public static float batchNormEpsilon() {
    return BN_EPSILON;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = new NDList(inputs.head());
    for (int i = 0; i < convs.size(); i++) {
      x = convs.get(i).forward(ps, x, training, params);
      x = norms.get(i).forward(ps, x, training, params);
      NDArray pooled =
          Pool.maxPool2d(
              Activation.relu(x.head()), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
      x = new NDList(pooled);
    }
    NDArray features = Pool.globalAvgPool2d(x.head()).reshape(-1, config.convWidths().getLast());
    NDArray projected = projection.forward(ps, new NDList(features), training, params).head();
    return new NDList(L2Normalisation.apply(projected));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), config.embeddingDim())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape shape = inputShapes[0];
    for (int i = 0; i < convs.size(); i++) {
      convs.get(i).initialize(manager, dataType, shape);
      shape = convs.get(i).getOutputShapes(new Shape[] {shape})[0];
      norms.get(i).initialize(manager, dataType, shape);
      shape = new Shape(shape.get(0), shape.get(1), shape.get(2) / 2, shape.get(3) / 2);
    }
    projection.initialize(manager, dataType, new Shape(shape.get(0), shape.get(1)));
  }
}
