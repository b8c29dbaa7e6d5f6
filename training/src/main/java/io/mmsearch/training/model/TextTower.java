package io.mmsearch.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The text tower: token embedding -> bidirectional LSTM with padding masked -> mean over the real
 * tokens -> linear projection -> L2 normalisation.
 *
 * <p>Inputs: {@code tokens} int64 {@code [batch, T]} (padded with id 0) and {@code lengths} int64
 * {@code [batch]} (real tokens per row, at least 1). Output {@code [batch, embeddingDim]} unit
 * vectors. {@code T} may be shorter than the configured maximum: the output does not depend on the
 * padding, so training trims each batch to its longest caption.
 *
 * <p><b>Why two one-direction LSTMs instead of a bidirectional one.</b> An LSTM without sequence
 * lengths would start its backward direction in the padding and carry it into every real step. The
 * backward direction here is a separate {@link LstmLayer} that reads each row reversed <em>within
 * its own length</em> ({@code x[len-1], ..., x[0]}, padding left at the end); its outputs are
 * reversed back the same way. That is exactly what ONNX {@code LSTM} computes for {@code
 * direction=bidirectional} with {@code sequence_lens}, so the exported graph matches. Forward
 * outputs at padded steps are never used: the pooling multiplies them by a zero mask.
 */
public final class TextTower extends AbstractBlock {

  private static final byte VERSION = 1;

  private final DualEncoderConfig config;
  private final Parameter embedding;
  private final LstmLayer forwardLstm;
  private final LstmLayer backwardLstm;
  private final Linear projection;

  /** Builds the (uninitialised) tower for {@code config}. */
  public TextTower(DualEncoderConfig config) {
    super(VERSION);
    this.config = config;
    embedding =
        addParameter(
            Parameter.builder()
                .setName("embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabularySize(), config.tokenEmbeddingDim()))
                .optInitializer(new NormalInitializer(0.1f))
                .build());
    forwardLstm = addChildBlock("lstmForward", new LstmLayer(config.lstmHidden()));
    backwardLstm = addChildBlock("lstmBackward", new LstmLayer(config.lstmHidden()));
    projection =
        addChildBlock("projection", Linear.builder().setUnits(config.embeddingDim()).build());
  }

  /** The token embedding table {@code [vocabularySize, tokenEmbeddingDim]}. */
  public Parameter embedding() {
    return embedding;
  }

  /** The forward-direction LSTM (PyTorch parameter layout, gates i, f, g, o). */
  public LstmLayer forwardLstm() {
    return forwardLstm;
  }

  /** The backward-direction LSTM, fed each row reversed within its length. */
  public LstmLayer backwardLstm() {
    return backwardLstm;
  }

  /** The final linear projection from {@code 2 * lstmHidden} to the shared dimension. */
  public Linear projection() {
    return projection;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray tokens = inputs.get(0);
    NDArray lengths = inputs.get(1);
    long batch = tokens.getShape().get(0);
    int steps = (int) tokens.getShape().get(1);
    long[] lens = lengths.toLongArray();
    NDManager manager = tokens.getManager();

    NDArray table = ps.getValue(embedding, tokens.getDevice(), training);
    NDArray embedded = Embedding.embedding(tokens, table, SparseFormat.DENSE).head();

    long[] reverse = new long[(int) batch * steps];
    float[] mask = new float[(int) batch * steps];
    for (int b = 0; b < batch; b++) {
      int len = (int) Math.min(Math.max(lens[b], 1), steps);
      for (int t = 0; t < steps; t++) {
        reverse[b * steps + t] = t < len ? len - 1 - t : t;
        mask[b * steps + t] = t < len ? 1f : 0f;
      }
    }
    long width = config.tokenEmbeddingDim();
    NDArray reverseIndex =
        manager.create(reverse, new Shape(batch, steps, 1)).broadcast(batch, steps, width);
    NDArray reversed = embedded.gather(reverseIndex, 1);

    NDArray forwardOut = forwardLstm.forward(ps, new NDList(embedded), training, params).head();
    NDArray backwardReversed =
        backwardLstm.forward(ps, new NDList(reversed), training, params).head();
    NDArray hiddenIndex =
        manager
            .create(reverse, new Shape(batch, steps, 1))
            .broadcast(batch, steps, config.lstmHidden());
    NDArray backwardOut = backwardReversed.gather(hiddenIndex, 1);

    NDArray maskArray = manager.create(mask, new Shape(batch, steps, 1));
    NDArray both = forwardOut.concat(backwardOut, 2).mul(maskArray);
    NDArray counts = maskArray.sum(new int[] {1});
    NDArray pooled = both.sum(new int[] {1}).div(counts);
    NDArray projected = projection.forward(ps, new NDList(pooled), training, params).head();
    return new NDList(L2Normalisation.apply(projected));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), config.embeddingDim())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape tokens = inputShapes[0];
    Shape sequence = new Shape(tokens.get(0), tokens.get(1), config.tokenEmbeddingDim());
    forwardLstm.initialize(manager, dataType, sequence);
    backwardLstm.initialize(manager, dataType, sequence);
    projection.initialize(manager, dataType, new Shape(tokens.get(0), 2L * config.lstmHidden()));
  }
}
