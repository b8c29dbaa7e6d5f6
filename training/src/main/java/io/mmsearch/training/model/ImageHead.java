package io.mmsearch.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The trainable image tower on a frozen image backbone's pooled features, a two-layer MLP:
 *
 * <pre>
 * z = (features - mean) * inverseStd    per feature, fixed (the training set's statistics)
 * h = dropout(gelu(hidden(z)))          Linear F -> H
 * embedding = l2(projection(h))         Linear H -> D, then unit length
 * </pre>
 *
 * <p>The backbone's taps differ in scale by orders of magnitude (a global mean of a late block
 * against a 2x2 cell of an early one), so the features are standardised per dimension with the
 * statistics of the training set's clean views, set once by {@link #setFeatureStatistics} before
 * training and saved with the weights; they are parameters without gradient, never trained.
 *
 * <p>Input {@code features} float32 {@code [batch, F]}; output {@code [batch, D]} unit vectors.
 * GELU is the exact (erf) form; dropout is active only in training. Export writes Sub, Mul, Gemm,
 * GELU (from Erf), Gemm and L2 normalisation.
 */
public final class ImageHead extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int featureDim;
  private final int embeddingDim;
  private final Parameter mean;
  private final Parameter inverseStd;
  private final Linear hidden;
  private final Dropout dropout;
  private final Linear projection;

  /**
   * @param featureDim width {@code F} of the backbone features
   * @param hiddenDim width {@code H} of the hidden layer
   * @param embeddingDim the shared dimension {@code D}
   * @param dropoutRate dropout after the hidden layer, in training only
   */
  public ImageHead(int featureDim, int hiddenDim, int embeddingDim, float dropoutRate) {
    super(VERSION);
    this.featureDim = featureDim;
    this.embeddingDim = embeddingDim;
    mean = addParameter(statistic("featureMean", featureDim, 0f));
    inverseStd = addParameter(statistic("featureInverseStd", featureDim, 1f));
    hidden = addChildBlock("hidden", Linear.builder().setUnits(hiddenDim).build());
    dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
    projection = addChildBlock("projection", Linear.builder().setUnits(embeddingDim).build());
  }

  private static Parameter statistic(String name, int size, float initial) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.OTHER)
        .optShape(new Shape(size))
        .optInitializer(new ConstantInitializer(initial))
        .optRequiresGrad(false)
        .build();
  }

  /**
   * Sets the standardisation: {@code mean[i]} and {@code std[i]} of feature {@code i} over the
   * training data (a standard deviation below 1e-6, a feature that never varies, becomes 1).
   */
  public void setFeatureStatistics(float[] featureMean, float[] featureStd) {
    if (featureMean.length != featureDim || featureStd.length != featureDim) {
      throw new IllegalArgumentException(
          "statistics of "
              + featureMean.length
              + "/"
              + featureStd.length
              + " features for a head on "
              + featureDim);
    }
    float[] inverse = new float[featureDim];
    for (int i = 0; i < featureDim; i++) {
      inverse[i] = featureStd[i] > 1e-6f ? 1f / featureStd[i] : 1f;
    }
    mean.getArray().set(featureMean);
    inverseStd.getArray().set(inverse);
  }

  /** The per-feature mean subtracted first. */
  public float[] featureMean() {
    return mean.getArray().toFloatArray();
  }

  /** The per-feature factor applied after the mean is subtracted. */
  public float[] featureInverseStd() {
    return inverseStd.getArray().toFloatArray();
  }

  /** The hidden linear layer, {@code F -> H}. */
  public Linear hidden() {
    return hidden;
  }

  /** The output linear layer, {@code H -> D}. */
  public Linear projection() {
    return projection;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    NDArray z =
        x.sub(ps.getValue(mean, x.getDevice(), training))
            .mul(ps.getValue(inverseStd, x.getDevice(), training));
    NDArray h = hidden.forward(ps, new NDList(z), training, params).head();
    h = dropout.forward(ps, new NDList(Activation.gelu(h)), training, params).head();
    NDArray y = projection.forward(ps, new NDList(h), training, params).head();
    return new NDList(L2Normalisation.apply(y));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), embeddingDim)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    hidden.initialize(manager, dataType, new Shape(batch, featureDim));
    Shape h = hidden.getOutputShapes(new Shape[] {new Shape(batch, featureDim)})[0];
    dropout.initialize(manager, dataType, h);
    projection.initialize(manager, dataType, h);
  }
}
