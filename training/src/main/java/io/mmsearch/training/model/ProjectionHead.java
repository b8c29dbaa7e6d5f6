package io.mmsearch.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The trainable text head on a frozen backbone's pooled features, CLIP's projection-head shape:
 *
 * <pre>
 * p = projection(features)              Linear F -> D
 * h = dropout(hidden(gelu(p))) + p      Linear D -> D, residual around GELU + Linear + dropout
 * embedding = l2(layerNorm(h))          LayerNorm over D (epsilon 1e-5), then unit length
 * </pre>
 *
 * <p>Input {@code features} float32 {@code [batch, F]} (the backbone's masked mean, not
 * normalised); output {@code [batch, D]} unit vectors. GELU is the exact (erf) form; dropout is
 * active only in training. Export writes the same graph with the ONNX writer's Gemm, GELU (from
 * Erf), Add, LayerNormalization and L2 normalisation.
 */
public final class ProjectionHead extends AbstractBlock {

  private static final byte VERSION = 1;

  /** LayerNorm epsilon (PyTorch's default); export writes the same. */
  public static final float LAYER_NORM_EPSILON = 1e-5f;

  private final int featureDim;
  private final int embeddingDim;
  private final Linear projection;
  private final Linear hidden;
  private final Dropout dropout;
  private final LayerNorm norm;

  /**
   * @param featureDim width {@code F} of the backbone features
   * @param embeddingDim the shared dimension {@code D}
   * @param dropoutRate dropout after the hidden linear layer, in training only
   */
  public ProjectionHead(int featureDim, int embeddingDim, float dropoutRate) {
    super(VERSION);
    this.featureDim = featureDim;
    this.embeddingDim = embeddingDim;
    projection = addChildBlock("projection", Linear.builder().setUnits(embeddingDim).build());
    hidden = addChildBlock("hidden", Linear.builder().setUnits(embeddingDim).build());
    dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
    norm =
        addChildBlock("norm", LayerNorm.builder().axis(1).optEpsilon(LAYER_NORM_EPSILON).build());
  }

  /** The first linear layer, {@code F -> D}. */
  public Linear projection() {
    return projection;
  }

  /** The linear layer after GELU, {@code D -> D}. */
  public Linear hidden() {
    return hidden;
  }

  /** The final LayerNorm over {@code D} (parameters {@code gamma}, {@code beta}). */
  public LayerNorm norm() {
    return norm;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray projected = projection.forward(ps, new NDList(inputs.head()), training, params).head();
    NDArray h = hidden.forward(ps, new NDList(Activation.gelu(projected)), training, params).head();
    h = dropout.forward(ps, new NDList(h), training, params).head().add(projected);
    NDArray normed = norm.forward(ps, new NDList(h), training, params).head();
    return new NDList(L2Normalisation.apply(normed));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), embeddingDim)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    projection.initialize(manager, dataType, new Shape(batch, featureDim));
    hidden.initialize(manager, dataType, new Shape(batch, embeddingDim));
    dropout.initialize(manager, dataType, new Shape(batch, embeddingDim));
    norm.initialize(manager, dataType, new Shape(batch, embeddingDim));
  }
}
