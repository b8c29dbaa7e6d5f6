package io.mmsearch.training.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The text tower of {@link TextTowerKind#BACKBONE}: the frozen backbone's pooled features,
 * L2-normalised, with no parameter. Input {@code features} float32 {@code [batch, F]}; output
 * {@code [batch, F]} unit vectors. Export writes L2 normalisation only.
 */
public final class FrozenText extends AbstractBlock {

  private static final byte VERSION = 1;

  public FrozenText() {
    super(VERSION);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(L2Normalisation.apply(inputs.head()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // no parameters
  }
}
