package io.mmsearch.training.model;

/**
 * The LSTM step equations in plain Java (double precision), PyTorch's gate order, zero initial
 * state: the specification the DJL blocks are checked against.
 *
 * <pre>
 * i = sigmoid(Wi x + bi + Ri h + ri)   f = sigmoid(Wf x + bf + Rf h + rf)
 * g = tanh(Wg x + bg + Rg h + rg)      o = sigmoid(Wo x + bo + Ro h + ro)
 * c' = f c + i g                       h' = o tanh(c')
 * </pre>
 */
final class LstmEquations {

  private LstmEquations() {}

  /**
   * Hidden states of one sequence.
   *
   * @param x {@code [steps][inputs]}
   * @param w {@code [4H, inputs]} row-major; {@code r} {@code [4H, H]}; biases {@code [4H]}
   * @return {@code [steps][H]}
   */
  static double[][] run(
      double[][] x, float[] w, float[] r, float[] inputBias, float[] recurrentBias, int hidden) {
    int inputs = x.length == 0 ? 0 : x[0].length;
    double[][] out = new double[x.length][];
    double[] h = new double[hidden];
    double[] c = new double[hidden];
    for (int t = 0; t < x.length; t++) {
      double[] gates = new double[4 * hidden];
      for (int row = 0; row < 4 * hidden; row++) {
        double sum = inputBias[row] + recurrentBias[row];
        for (int i = 0; i < inputs; i++) {
          sum += w[row * inputs + i] * x[t][i];
        }
        for (int j = 0; j < hidden; j++) {
          sum += r[row * hidden + j] * h[j];
        }
        gates[row] = sum;
      }
      double[] next = new double[hidden];
      for (int k = 0; k < hidden; k++) {
        double in = sigmoid(gates[k]);
        double forget = sigmoid(gates[hidden + k]);
        double candidate = Math.tanh(gates[2 * hidden + k]);
        double output = sigmoid(gates[3 * hidden + k]);
        c[k] = forget * c[k] + in * candidate;
        next[k] = output * Math.tanh(c[k]);
      }
      h = next;
      out[t] = h.clone();
    }
    return out;
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}
