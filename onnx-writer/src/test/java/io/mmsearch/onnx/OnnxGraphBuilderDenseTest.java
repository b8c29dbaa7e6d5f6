package io.mmsearch.onnx;

import static io.mmsearch.onnx.OrtHarness.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gemm, MatMul, Add and Relu, each checked against plain Java arithmetic. */
class OnnxGraphBuilderDenseTest {

  private static final float TOLERANCE = 1e-5f;

  @Test
  void gemmWithTransposedWeightAndBiasThenReluMatchesJava() throws Exception {
    Random random = new Random(1);
    int in = 5;
    int out = 3;
    int batch = 4;
    float[] weight = randoms(random, out * in); // [out, in] like nn.Linear
    float[] bias = randoms(random, out);
    float[] x = randoms(random, batch * in);

    OnnxGraphBuilder g = new OnnxGraphBuilder("dense");
    String input = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(in));
    String y =
        g.relu(
            g.gemm(
                input, g.initializer("w", weight, out, in), g.initializer("b", bias, out), true));
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(out));

    float[] expected = new float[batch * out];
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < out; o++) {
        float sum = bias[o];
        for (int i = 0; i < in; i++) {
          sum += x[n * in + i] * weight[o * in + i];
        }
        expected[n * out + o] = Math.max(0, sum);
      }
    }
    assertArrayEquals(
        expected, OrtHarness.runSingle(g.build(), feed("x", x, batch, in)), TOLERANCE);
  }

  @Test
  void matMulPlusBroadcastAddMatchesJava() throws Exception {
    Random random = new Random(2);
    float[] a = randoms(random, 2 * 3);
    float[] b = randoms(random, 3 * 4);
    float[] c = randoms(random, 4);

    OnnxGraphBuilder g = new OnnxGraphBuilder("matmul");
    String x = g.input("a", ElementType.FLOAT, Dim.batch(), Dim.of(3));
    String y = g.add(g.matMul(x, g.initializer("b", b, 3, 4)), g.initializer("c", c, 4));
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(4));

    float[] expected = new float[2 * 4];
    for (int r = 0; r < 2; r++) {
      for (int k = 0; k < 4; k++) {
        float sum = c[k];
        for (int i = 0; i < 3; i++) {
          sum += a[r * 3 + i] * b[i * 4 + k];
        }
        expected[r * 4 + k] = sum;
      }
    }
    assertArrayEquals(expected, OrtHarness.runSingle(g.build(), feed("a", a, 2, 3)), TOLERANCE);
  }

  @Test
  void symbolicBatchDimensionIsReadBackAsVariable() throws Exception {
    OnnxGraphBuilder g = new OnnxGraphBuilder("shape");
    String x = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(7));
    g.output("y", g.relu(x), ElementType.FLOAT, Dim.batch(), Dim.of(7));

    assertEquals(List.of(-1L, 7L), OrtHarness.inputShapes(g.build()).get("x"));
  }

  static float[] randoms(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextFloat() * 2 - 1;
    }
    return values;
  }
}
