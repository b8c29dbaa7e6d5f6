package io.mmsearch.onnx;

import static io.mmsearch.onnx.OrtHarness.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Erf, GELU and LayerNormalization, each checked in ONNX Runtime against plain Java maths. */
class OnnxGraphBuilderNormTest {

  private static final float TOLERANCE = 1e-5f;

  @Test
  void geluMatchesTheErfDefinition() throws Exception {
    float[] x = new float[41];
    for (int i = 0; i < x.length; i++) {
      x[i] = -5 + i * 0.25f;
    }
    OnnxGraphBuilder g = new OnnxGraphBuilder("gelu");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(x.length));
    g.output("y", g.gelu(in), ElementType.FLOAT, Dim.batch(), Dim.of(x.length));

    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = (float) (0.5 * x[i] * (1 + erf(x[i] / Math.sqrt(2))));
    }
    assertArrayEquals(expected, OrtHarness.runSingle(g.build(), feed("x", x, 1, x.length)), 1e-6f);
  }

  @Test
  void layerNormalizationOverTheLastAxisMatchesJava() throws Exception {
    Random random = new Random(5);
    int rows = 3;
    int width = 7;
    float epsilon = 1e-5f;
    float[] x = OnnxGraphBuilderDenseTest.randoms(random, rows * width);
    x[3] += 40; // a large value: the variance must not lose precision
    float[] scale = OnnxGraphBuilderDenseTest.randoms(random, width);
    float[] bias = OnnxGraphBuilderDenseTest.randoms(random, width);

    OnnxGraphBuilder g = new OnnxGraphBuilder("layer-norm");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(width));
    String y =
        g.layerNormalization(
            in,
            g.initializer("scale", scale, width),
            g.initializer("bias", bias, width),
            -1,
            epsilon);
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(width));

    float[] expected = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      double mean = 0;
      for (int i = 0; i < width; i++) {
        mean += x[r * width + i];
      }
      mean /= width;
      double variance = 0;
      for (int i = 0; i < width; i++) {
        double d = x[r * width + i] - mean;
        variance += d * d;
      }
      variance /= width;
      for (int i = 0; i < width; i++) {
        expected[r * width + i] =
            (float)
                ((x[r * width + i] - mean) / Math.sqrt(variance + epsilon) * scale[i] + bias[i]);
      }
    }
    assertArrayEquals(
        expected, OrtHarness.runSingle(g.build(), feed("x", x, rows, width)), TOLERANCE);
  }

  /** erf by its Maclaurin series (|x| < 3) or continued fraction (beyond): below 1e-12 error. */
  static double erf(double x) {
    double a = Math.abs(x);
    double value;
    if (a < 3) {
      double term = a;
      double sum = a;
      for (int n = 1; n < 100; n++) {
        term *= -a * a / n;
        sum += term / (2 * n + 1);
      }
      value = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      double fraction = 0;
      for (int n = 60; n >= 1; n--) {
        fraction = n / 2.0 / (a + fraction);
      }
      value = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + fraction);
    }
    return Math.signum(x) * value;
  }
}
