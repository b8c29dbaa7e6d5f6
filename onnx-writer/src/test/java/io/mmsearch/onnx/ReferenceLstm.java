package io.mmsearch.onnx;

/**
 * The LSTM step equations written out in plain Java, for checking what ONNX Runtime computes:
 *
 * <pre>
 * i = sigmoid(W_i x + R_i h + b_i)    f = sigmoid(W_f x + R_f h + b_f)
 * g = tanh(W_g x + R_g h + b_g)       o = sigmoid(W_o x + R_o h + b_o)
 * c' = f * c + i * g                  h' = o * tanh(c')
 * </pre>
 *
 * The position of each gate's block of {@code H} rows is given explicitly, so the same code checks
 * both ONNX's (i, o, f, c) and PyTorch's (i, f, g, o) layouts.
 */
final class ReferenceLstm {

  /** Block index of the input, forget, cell-candidate and output gates in ONNX's layout. */
  static final int[] ONNX_BLOCKS = {0, 2, 3, 1};

  /** Block index of the input, forget, cell-candidate and output gates in PyTorch's layout. */
  static final int[] PYTORCH_BLOCKS = {0, 1, 2, 3};

  /** y [T, D, N, H] with zeros at padding steps, lastH and lastC [D, N, H]. */
  record Outputs(float[] y, float[] lastH, float[] lastC) {}

  private final int steps;
  private final int batch;
  private final int inputSize;
  private final int hidden;
  private final int directions;
  private final int[] blocks;

  ReferenceLstm(int steps, int batch, int inputSize, int hidden, int directions, int[] blocks) {
    this.steps = steps;
    this.batch = batch;
    this.inputSize = inputSize;
    this.hidden = hidden;
    this.directions = directions;
    this.blocks = blocks;
  }

  /**
   * @param x [T, N, I]
   * @param w [D, 4H, I]
   * @param r [D, 4H, H]
   * @param inputBias [D, 4H] or null
   * @param recurrentBias [D, 4H] or null
   * @param lengths [N] or null for all T
   * @param h0 [D, N, H] or null for zeros
   * @param c0 [D, N, H] or null for zeros
   */
  Outputs run(
      float[] x,
      float[] w,
      float[] r,
      float[] inputBias,
      float[] recurrentBias,
      int[] lengths,
      float[] h0,
      float[] c0) {
    float[] y = new float[steps * directions * batch * hidden];
    float[] lastH = new float[directions * batch * hidden];
    float[] lastC = new float[directions * batch * hidden];
    for (int d = 0; d < directions; d++) {
      for (int n = 0; n < batch; n++) {
        int length = lengths == null ? steps : lengths[n];
        double[] h = new double[hidden];
        double[] c = new double[hidden];
        for (int k = 0; k < hidden; k++) {
          int state = (d * batch + n) * hidden + k;
          h[k] = h0 == null ? 0 : h0[state];
          c[k] = c0 == null ? 0 : c0[state];
        }
        for (int s = 0; s < length; s++) {
          int t = d == 0 ? s : length - 1 - s;
          double[] newH = new double[hidden];
          double[] newC = new double[hidden];
          for (int k = 0; k < hidden; k++) {
            double in = sigmoid(gate(0, d, k, x, t, n, w, r, inputBias, recurrentBias, h));
            double forget = sigmoid(gate(1, d, k, x, t, n, w, r, inputBias, recurrentBias, h));
            double candidate = Math.tanh(gate(2, d, k, x, t, n, w, r, inputBias, recurrentBias, h));
            double out = sigmoid(gate(3, d, k, x, t, n, w, r, inputBias, recurrentBias, h));
            newC[k] = forget * c[k] + in * candidate;
            newH[k] = out * Math.tanh(newC[k]);
          }
          h = newH;
          c = newC;
          for (int k = 0; k < hidden; k++) {
            y[((t * directions + d) * batch + n) * hidden + k] = (float) h[k];
          }
        }
        for (int k = 0; k < hidden; k++) {
          lastH[(d * batch + n) * hidden + k] = (float) h[k];
          lastC[(d * batch + n) * hidden + k] = (float) c[k];
        }
      }
    }
    return new Outputs(y, lastH, lastC);
  }

  private double gate(
      int gate,
      int d,
      int k,
      float[] x,
      int t,
      int n,
      float[] w,
      float[] r,
      float[] inputBias,
      float[] recurrentBias,
      double[] h) {
    int row = blocks[gate] * hidden + k;
    double sum = 0;
    for (int i = 0; i < inputSize; i++) {
      sum += w[(d * 4 * hidden + row) * inputSize + i] * x[(t * batch + n) * inputSize + i];
    }
    for (int j = 0; j < hidden; j++) {
      sum += r[(d * 4 * hidden + row) * hidden + j] * h[j];
    }
    if (inputBias != null) {
      sum += inputBias[d * 4 * hidden + row];
    }
    if (recurrentBias != null) {
      sum += recurrentBias[d * 4 * hidden + row];
    }
    return sum;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}
