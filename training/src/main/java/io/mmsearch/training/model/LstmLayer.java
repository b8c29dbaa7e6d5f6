package io.mmsearch.training.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One direction of a single-layer LSTM over {@code [batch, T, inputs]} (batch first), written as
 * plain tensor operations: one matrix product for every step's input gates, then per step a matrix
 * product with the previous hidden state, sigmoid/tanh gates and the cell update. Output {@code
 * [batch, T, hidden]}, the hidden state at every step, starting from zero state.
 *
 * <p><b>Why not DJL's {@code LSTM}.</b> DJL's LSTM calls libtorch's fused CPU kernel, which
 * libtorch 2.7.1 hands to oneDNN 3.7.1's {@code brgemm:avx512_core} RNN primitive on AVX-512
 * machines. That primitive returns wrong hidden states for many hidden sizes (measured on an AMD
 * EPYC (Zen 5): 5, 8, 16, 40, 48, 80 and 100 are off by up to 1.0; 32, 64, 96, 128, 160, 250 and
 * 256 are right; with oneDNN limited to AVX2 every size is right), for training as well as
 * inference. The unrolled form only uses matrix products and element-wise functions, which are
 * correct on every CPU; for the short captions this tower reads (at most a few dozen steps) it
 * costs little.
 *
 * <p>Parameters and their layout are exactly DJL's: {@code l_0_i2h_WEIGHT [4H, inputs]}, {@code
 * l_0_h2h_WEIGHT [4H, H]}, {@code l_0_i2h_BIAS [4H]}, {@code l_0_h2h_BIAS [4H]}, gates in PyTorch's
 * order (input, forget, cell candidate, output), same initialisers and the same encoding version,
 * so checkpoints written with DJL's LSTM load unchanged and export reads the same names.
 */
public final class LstmLayer extends AbstractBlock {

  /** DJL's {@code RecurrentBlock} encoding version: the saved parameters are byte-compatible. */
  private static final byte VERSION = 2;

  private static final int GATES = 4;

  private final int hidden;
  private final Parameter inputWeight;
  private final Parameter recurrentWeight;
  private final Parameter inputBias;
  private final Parameter recurrentBias;

  /** An LSTM direction with {@code hidden} units per state. */
  public LstmLayer(int hidden) {
    super(VERSION);
    this.hidden = hidden;
    inputWeight = addParameter(parameter("l_0_i2h_WEIGHT", Parameter.Type.WEIGHT));
    recurrentWeight = addParameter(parameter("l_0_h2h_WEIGHT", Parameter.Type.WEIGHT));
    inputBias = addParameter(parameter("l_0_i2h_BIAS", Parameter.Type.BIAS));
    recurrentBias = addParameter(parameter("l_0_h2h_BIAS", Parameter.Type.BIAS));
  }

  private static Parameter parameter(String name, Parameter.Type type) {
    return Parameter.builder().setName(name).setType(type).build();
  }

  /** Hidden units per state. */
  public int hidden() {
    return hidden;
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    long inputs = inputShapes[0].get(2);
    inputWeight.setShape(new Shape(GATES * hidden, inputs));
    recurrentWeight.setShape(new Shape(GATES * hidden, hidden));
    inputBias.setShape(new Shape(GATES * hidden));
    recurrentBias.setShape(new Shape(GATES * hidden));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    Device device = x.getDevice();
    long batch = x.getShape().get(0);
    long steps = x.getShape().get(1);
    NDArray wi = ps.getValue(inputWeight, device, training);
    NDArray wh = ps.getValue(recurrentWeight, device, training).transpose();
    NDArray bias =
        ps.getValue(inputBias, device, training).add(ps.getValue(recurrentBias, device, training));
    NDArray inputGates = x.matMul(wi.transpose()).add(bias); // [batch, T, 4H]
    NDArray h = x.getManager().zeros(new Shape(batch, hidden));
    NDArray c = h;
    NDList outputs = new NDList((int) steps);
    for (long t = 0; t < steps; t++) {
      NDArray gates = inputGates.get(new NDIndex(":, {}, :", t)).add(h.matMul(wh));
      NDList g = gates.split(GATES, 1);
      NDArray in = Activation.sigmoid(g.get(0));
      NDArray forget = Activation.sigmoid(g.get(1));
      NDArray candidate = g.get(2).tanh();
      NDArray out = Activation.sigmoid(g.get(3));
      c = forget.mul(c).add(in.mul(candidate));
      h = out.mul(c.tanh());
      outputs.add(h);
    }
    return new NDList(NDArrays.stack(outputs, 1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), in.get(1), hidden)};
  }
}
