package io.mmsearch.onnx;

/**
 * Converts LSTM parameters from PyTorch's gate order to ONNX's.
 *
 * <p>Both stack the four gate blocks of {@code H} rows along the first axis of the weights ({@code
 * [4H, I]} or {@code [4H, H]}) and of the biases ({@code [4H]}), but in different orders:
 *
 * <ul>
 *   <li>PyTorch {@code nn.LSTM}: <b>i, f, g, o</b> (input, forget, cell candidate, output)
 *   <li>ONNX LSTM: <b>i, o, f, c</b> (input, output, forget, cell candidate)
 * </ul>
 *
 * So ONNX block 0 = PyTorch block 0, 1 = 3, 2 = 1, 3 = 2. PyTorch keeps one bias per matrix ({@code
 * bias_ih}, {@code bias_hh}); ONNX wants both in one {@code B [8H]} row per direction, input bias
 * first. For a bidirectional layer, PyTorch's {@code *_reverse} parameters are the second
 * direction: concatenate forward then reverse with {@link #stackDirections}.
 *
 * <p>Stateless; results are new arrays.
 */
public final class LstmGateOrder {

  private static final int[] ONNX_FROM_PYTORCH_BLOCK = {0, 3, 1, 2};

  private LstmGateOrder() {}

  /**
   * Reorders one PyTorch LSTM weight ({@code weight_ih [4H, I]} or {@code weight_hh [4H, H]},
   * row-major) or bias ({@code [4H]}) from i, f, g, o to ONNX's i, o, f, c.
   *
   * @throws IllegalArgumentException if the length is not a multiple of {@code 4 * hiddenSize}
   */
  public static float[] lstmWeightsFromPyTorchOrder(float[] pytorch, int hiddenSize) {
    if (hiddenSize <= 0 || pytorch.length % (4 * hiddenSize) != 0) {
      throw new IllegalArgumentException(
          "LSTM parameter of "
              + pytorch.length
              + " values is not 4 gate blocks of hidden size "
              + hiddenSize);
    }
    int block = pytorch.length / 4;
    float[] onnx = new float[pytorch.length];
    for (int gate = 0; gate < 4; gate++) {
      System.arraycopy(pytorch, ONNX_FROM_PYTORCH_BLOCK[gate] * block, onnx, gate * block, block);
    }
    return onnx;
  }

  /**
   * The ONNX bias {@code [8H]} of one direction from PyTorch's {@code bias_ih [4H]} and {@code
   * bias_hh [4H]}.
   */
  public static float[] lstmBiasFromPyTorchOrder(float[] biasIh, float[] biasHh, int hiddenSize) {
    if (biasIh.length != 4 * hiddenSize || biasHh.length != 4 * hiddenSize) {
      throw new IllegalArgumentException(
          "LSTM biases must each have 4 * hidden size = "
              + 4 * hiddenSize
              + " values, got "
              + biasIh.length
              + " and "
              + biasHh.length);
    }
    return stackDirections(
        lstmWeightsFromPyTorchOrder(biasIh, hiddenSize),
        lstmWeightsFromPyTorchOrder(biasHh, hiddenSize));
  }

  /** Concatenates per-direction parameters (forward first) into one {@code [D, ...]} array. */
  public static float[] stackDirections(float[]... perDirection) {
    int total = 0;
    for (float[] p : perDirection) {
      total += p.length;
    }
    float[] stacked = new float[total];
    int at = 0;
    for (float[] p : perDirection) {
      System.arraycopy(p, 0, stacked, at, p.length);
      at += p.length;
    }
    return stacked;
  }
}
