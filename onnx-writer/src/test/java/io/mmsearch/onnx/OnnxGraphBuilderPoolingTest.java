package io.mmsearch.onnx;

import static io.mmsearch.onnx.OnnxGraphBuilderDenseTest.randoms;
import static io.mmsearch.onnx.OrtHarness.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.onnx.OnnxGraphBuilderConvTest.Tensor4;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ops a converted MobileNetV2 needs beyond plain Conv: grouped (depthwise) Conv, Clip (ReLU6),
 * AveragePool, Softmax and the adaptive average pool composite, each checked in ONNX Runtime
 * against loops written out in Java. Shapes are drawn at random; the seed is in every failure
 * message ({@code -Dtests.seed=<seed>} repeats a run).
 */
class OnnxGraphBuilderPoolingTest {

  private static final long SEED = Long.getLong("tests.seed", new Random().nextLong());
  private final Random random = new Random(SEED);

  @Test
  void depthwiseConvConvolvesEachChannelWithItsOwnFilter() throws Exception {
    int c = 1 + random.nextInt(4);
    int h = 3 + random.nextInt(5);
    int w = 3 + random.nextInt(5);
    int stride = 1 + random.nextInt(2);
    float[] x = randoms(random, 2 * c * h * w);
    float[] weight = randoms(random, c * 3 * 3);
    float[] bias = randoms(random, c);
    // TensorFlow's 'same' padding for stride 2 on an even size pads only bottom and right.
    KernelWindow window =
        KernelWindow.of(new int[] {3, 3}, new int[] {stride, stride}, new int[] {0, 0, 1, 1});

    OnnxGraphBuilder g = new OnnxGraphBuilder("depthwise");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(c), Dim.of(h), Dim.of(w));
    String y =
        g.conv(in, g.initializer("w", weight, c, 1, 3, 3), g.initializer("b", bias, c), window, c);
    g.output(
        "y", y, ElementType.FLOAT, Dim.batch(), Dim.of(c), Dim.symbolic("oh"), Dim.symbolic("ow"));

    // A depthwise conv is a group-1 conv per channel: run the reference channel by channel.
    int outH = (h + 1 - 3) / stride + 1;
    int outW = (w + 1 - 3) / stride + 1;
    float[] expected = new float[2 * c * outH * outW];
    for (int n = 0; n < 2; n++) {
      for (int ch = 0; ch < c; ch++) {
        float[] plane = new float[h * w];
        System.arraycopy(x, (n * c + ch) * h * w, plane, 0, h * w);
        float[] filter = new float[9];
        System.arraycopy(weight, ch * 9, filter, 0, 9);
        Tensor4 one =
            OnnxGraphBuilderConvTest.conv(
                new Tensor4(plane, 1, 1, h, w),
                filter,
                new float[] {bias[ch]},
                1,
                3,
                3,
                stride,
                stride,
                0,
                0,
                1,
                1);
        System.arraycopy(one.data(), 0, expected, (n * c + ch) * outH * outW, outH * outW);
      }
    }
    assertArrayEquals(
        expected, OrtHarness.runSingle(g.build(), feed("x", x, 2, c, h, w)), 1e-5f, "seed " + SEED);
  }

  @Test
  void groupMustDivideTheFilters() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bad");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(3), Dim.of(4), Dim.of(4));
    String w = g.initializer("w", new float[5 * 9], 5, 1, 3, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> g.conv(in, w, null, KernelWindow.square(3, 1, 1), 3));
    assertTrue(e.getMessage().contains("not a multiple of group 3"), e.getMessage());
  }

  @Test
  void clipBoundsEveryValue() throws Exception {
    float[] x = new float[64];
    for (int i = 0; i < x.length; i++) {
      x[i] = (random.nextFloat() - 0.5f) * 20;
    }
    OnnxGraphBuilder g = new OnnxGraphBuilder("relu6");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(64));
    g.output("y", g.clip(in, 0f, 6f), ElementType.FLOAT, Dim.batch(), Dim.of(64));
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = Math.min(6f, Math.max(0f, x[i]));
    }
    assertArrayEquals(expected, OrtHarness.runSingle(g.build(), feed("x", x, 1, 64)), 0f);
  }

  @Test
  void averagePoolAveragesEachWindow() throws Exception {
    int c = 2;
    int h = 6 + random.nextInt(4);
    int w = 6 + random.nextInt(4);
    int k = 2 + random.nextInt(2);
    float[] x = randoms(random, c * h * w);
    OnnxGraphBuilder g = new OnnxGraphBuilder("avgpool");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(c), Dim.of(h), Dim.of(w));
    String y = g.averagePool(in, KernelWindow.square(k, k, 0));
    int outH = (h - k) / k + 1;
    int outW = (w - k) / k + 1;
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(c), Dim.of(outH), Dim.of(outW));
    float[] expected = new float[c * outH * outW];
    for (int ch = 0; ch < c; ch++) {
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          expected[(ch * outH + oy) * outW + ox] =
              mean(x, h, w, ch, oy * k, oy * k + k, ox * k, ox * k + k);
        }
      }
    }
    assertArrayEquals(
        expected, OrtHarness.runSingle(g.build(), feed("x", x, 1, c, h, w)), 1e-6f, "seed " + SEED);
  }

  @Test
  void softmaxRowsArePositiveAndSumToOne() throws Exception {
    float[] x = randoms(random, 10);
    OnnxGraphBuilder g = new OnnxGraphBuilder("softmax");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(5));
    g.output("y", g.softmax(in, 1), ElementType.FLOAT, Dim.batch(), Dim.of(5));
    float[] expected = new float[10];
    for (int row = 0; row < 2; row++) {
      double sum = 0;
      for (int i = 0; i < 5; i++) {
        sum += Math.exp(x[row * 5 + i]);
      }
      for (int i = 0; i < 5; i++) {
        expected[row * 5 + i] = (float) (Math.exp(x[row * 5 + i]) / sum);
      }
    }
    assertArrayEquals(expected, OrtHarness.runSingle(g.build(), feed("x", x, 2, 5)), 1e-6f);
  }

  @Test
  void adaptiveAveragePoolMatchesPyTorchBoundsForAnySize() throws Exception {
    // One graph, several input sizes: even, odd, and smaller than the grid.
    int c = 3;
    int rows = 1 + random.nextInt(3);
    int cols = 1 + random.nextInt(3);
    OnnxGraphBuilder g = new OnnxGraphBuilder("adaptive");
    String in =
        g.input(
            "x",
            ElementType.FLOAT,
            Dim.batch(),
            Dim.of(c),
            Dim.symbolic("height"),
            Dim.symbolic("width"));
    String y = g.adaptiveAveragePool(in, rows, cols);
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(c), Dim.of(rows), Dim.of(cols));
    OnnxModel model = g.build();
    int[][] sizes = {{8, 8}, {7, 5}, {1, 2}, {2 + random.nextInt(12), 2 + random.nextInt(12)}};
    for (int[] size : sizes) {
      int h = size[0];
      int w = size[1];
      float[] x = randoms(random, 2 * c * h * w);
      float[] expected = new float[2 * c * rows * cols];
      for (int nc = 0; nc < 2 * c; nc++) {
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < cols; j++) {
            int y0 = Math.floorDiv(i * h, rows);
            int y1 = -Math.floorDiv(-(i + 1) * h, rows);
            int x0 = Math.floorDiv(j * w, cols);
            int x1 = -Math.floorDiv(-(j + 1) * w, cols);
            expected[(nc * rows + i) * cols + j] = mean(x, h, w, nc, y0, y1, x0, x1);
          }
        }
      }
      assertArrayEquals(
          expected,
          OrtHarness.runSingle(model, feed("x", x, 2, c, h, w)),
          1e-6f,
          "grid " + rows + "x" + cols + " on " + h + "x" + w + ", seed " + SEED);
    }
  }

  /** Mean of plane {@code p} of a {@code [*, h, w]} array over rows [y0,y1) and columns [x0,x1). */
  private static float mean(float[] x, int h, int w, int p, int y0, int y1, int x0, int x1) {
    double sum = 0;
    for (int yy = y0; yy < y1; yy++) {
      for (int xx = x0; xx < x1; xx++) {
        sum += x[(p * h + yy) * w + xx];
      }
    }
    return (float) (sum / ((y1 - y0) * (x1 - x0)));
  }
}
