package io.mmsearch.onnx;

import static io.mmsearch.onnx.OnnxGraphBuilderDenseTest.randoms;
import static io.mmsearch.onnx.OrtHarness.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conv, BatchNormalization (as a node and folded), MaxPool, GlobalAveragePool and Flatten, each
 * checked against loops written out in Java.
 */
class OnnxGraphBuilderConvTest {

  private static final float TOLERANCE = 1e-4f;
  private static final int N = 2;
  private static final int C = 2;
  private static final int H = 5;
  private static final int W = 6;

  private final Random random = new Random(42);
  private final float[] x = randoms(random, N * C * H * W);

  @Test
  void convWithStridePaddingAndBiasMatchesLoops() throws Exception {
    int m = 3;
    float[] weight = randoms(random, m * C * 3 * 3);
    float[] bias = randoms(random, m);
    KernelWindow window = KernelWindow.square(3, 2, 1);

    OnnxGraphBuilder g = new OnnxGraphBuilder("conv");
    String in = imageInput(g);
    String y =
        g.conv(in, g.initializer("w", weight, m, C, 3, 3), g.initializer("b", bias, m), window);
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(m), Dim.of(3), Dim.of(3));

    Tensor4 expected = conv(new Tensor4(x, N, C, H, W), weight, bias, m, 3, 3, 2, 2, 1, 1, 1, 1);
    assertArrayEquals(expected.data, run(g), TOLERANCE);
  }

  @Test
  void convWithRectangularKernelAndAsymmetricPadsMatchesLoops() throws Exception {
    int m = 2;
    float[] weight = randoms(random, m * C * 2 * 3);
    KernelWindow window =
        KernelWindow.of(new int[] {2, 3}, new int[] {1, 2}, new int[] {0, 1, 1, 0});

    OnnxGraphBuilder g = new OnnxGraphBuilder("conv");
    String y = g.conv(imageInput(g), g.initializer("w", weight, m, C, 2, 3), null, window);
    // out H = (5 + 0 + 1 - 2) / 1 + 1 = 5, out W = (6 + 1 + 0 - 3) / 2 + 1 = 3
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(m), Dim.of(5), Dim.of(3));

    Tensor4 expected = conv(new Tensor4(x, N, C, H, W), weight, null, m, 2, 3, 1, 2, 0, 1, 1, 0);
    assertArrayEquals(expected.data, run(g), TOLERANCE);
  }

  @Test
  void batchNormalizationNodeMatchesFormula() throws Exception {
    BatchNormParameters bn = new BatchNormParameters(random, C);

    OnnxGraphBuilder g = new OnnxGraphBuilder("bn");
    String y = bn.addNode(g, imageInput(g));
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(C), Dim.of(H), Dim.of(W));

    assertArrayEquals(bn.apply(new Tensor4(x, N, C, H, W)).data, run(g), TOLERANCE);
  }

  @Test
  void convFollowedByBatchNormEqualsConvWithFoldedWeights() throws Exception {
    int m = 4;
    float[] weight = randoms(random, m * C * 3 * 3);
    float[] bias = randoms(random, m);
    BatchNormParameters bn = new BatchNormParameters(random, m);
    KernelWindow window = KernelWindow.square(3, 1, 1);

    OnnxGraphBuilder unfolded = new OnnxGraphBuilder("conv_bn");
    String conv =
        unfolded.conv(
            imageInput(unfolded),
            unfolded.initializer("w", weight, m, C, 3, 3),
            unfolded.initializer("b", bias, m),
            window);
    unfolded.output(
        "y",
        bn.addNode(unfolded, conv),
        ElementType.FLOAT,
        Dim.batch(),
        Dim.of(m),
        Dim.of(H),
        Dim.of(W));

    BatchNormFolding.FoldedConv folded =
        BatchNormFolding.fold(weight, bias, bn.gamma, bn.beta, bn.mean, bn.variance, bn.epsilon);
    OnnxGraphBuilder foldedGraph = new OnnxGraphBuilder("conv_folded");
    String y =
        foldedGraph.conv(
            imageInput(foldedGraph),
            foldedGraph.initializer("w", folded.weight(), m, C, 3, 3),
            foldedGraph.initializer("b", folded.bias(), m),
            window);
    foldedGraph.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(m), Dim.of(H), Dim.of(W));

    float[] javaReference =
        bn.apply(conv(new Tensor4(x, N, C, H, W), weight, bias, m, 3, 3, 1, 1, 1, 1, 1, 1)).data;
    float[] unfoldedResult = run(unfolded);
    assertArrayEquals(javaReference, unfoldedResult, TOLERANCE);
    assertArrayEquals(unfoldedResult, run(foldedGraph), TOLERANCE);
  }

  @Test
  void foldingWithoutConvBiasTreatsItAsZero() {
    float[] weight = {1, 2, 3, 4};
    BatchNormFolding.FoldedConv folded =
        BatchNormFolding.fold(
            weight,
            null,
            new float[] {2, 1},
            new float[] {0.5f, 0},
            new float[] {1, -1},
            new float[] {3, 0},
            1f);
    // channel 0: scale 2 / sqrt(4) = 1; channel 1: scale 1 / sqrt(1) = 1
    assertArrayEquals(new float[] {1, 2, 3, 4}, folded.weight(), 0);
    assertArrayEquals(new float[] {-0.5f, 1}, folded.bias(), 1e-6f);
  }

  @Test
  void maxPoolWithPaddingIgnoresThePaddedCells() throws Exception {
    OnnxGraphBuilder g = new OnnxGraphBuilder("maxpool");
    String y = g.maxPool(imageInput(g), KernelWindow.square(3, 2, 1));
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(C), Dim.of(3), Dim.of(3));

    int outH = 3;
    int outW = 3;
    float[] expected = new float[N * C * outH * outW];
    for (int n = 0; n < N; n++) {
      for (int c = 0; c < C; c++) {
        for (int oh = 0; oh < outH; oh++) {
          for (int ow = 0; ow < outW; ow++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int kh = 0; kh < 3; kh++) {
              for (int kw = 0; kw < 3; kw++) {
                int ih = oh * 2 - 1 + kh;
                int iw = ow * 2 - 1 + kw;
                if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                  best = Math.max(best, x[((n * C + c) * H + ih) * W + iw]);
                }
              }
            }
            expected[((n * C + c) * outH + oh) * outW + ow] = best;
          }
        }
      }
    }
    assertArrayEquals(expected, run(g), 0f);
  }

  @Test
  void globalAveragePoolThenFlattenGivesChannelMeans() throws Exception {
    OnnxGraphBuilder g = new OnnxGraphBuilder("gap");
    String y = g.flatten(g.globalAveragePool(imageInput(g)), 1);
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(C));

    float[] expected = new float[N * C];
    for (int nc = 0; nc < N * C; nc++) {
      double sum = 0;
      for (int i = 0; i < H * W; i++) {
        sum += x[nc * H * W + i];
      }
      expected[nc] = (float) (sum / (H * W));
    }
    assertArrayEquals(expected, run(g), 1e-6f);
  }

  private static String imageInput(OnnxGraphBuilder g) {
    return g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(C), Dim.of(H), Dim.of(W));
  }

  private float[] run(OnnxGraphBuilder g) throws Exception {
    return OrtHarness.runSingle(g.build(), feed("x", x, N, C, H, W));
  }

  /** A dense NCHW tensor. */
  record Tensor4(float[] data, int n, int c, int h, int w) {
    float at(int in, int ic, int ih, int iw) {
      return data[((in * c + ic) * h + ih) * w + iw];
    }
  }

  /** Direct convolution, group 1, pads given as top, left, bottom, right. */
  static Tensor4 conv(
      Tensor4 in,
      float[] weight,
      float[] bias,
      int m,
      int kh,
      int kw,
      int strideH,
      int strideW,
      int padTop,
      int padLeft,
      int padBottom,
      int padRight) {
    int outH = (in.h() + padTop + padBottom - kh) / strideH + 1;
    int outW = (in.w() + padLeft + padRight - kw) / strideW + 1;
    float[] out = new float[in.n() * m * outH * outW];
    for (int n = 0; n < in.n(); n++) {
      for (int o = 0; o < m; o++) {
        for (int oh = 0; oh < outH; oh++) {
          for (int ow = 0; ow < outW; ow++) {
            double sum = bias == null ? 0 : bias[o];
            for (int c = 0; c < in.c(); c++) {
              for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                  int ih = oh * strideH - padTop + i;
                  int iw = ow * strideW - padLeft + j;
                  if (ih >= 0 && ih < in.h() && iw >= 0 && iw < in.w()) {
                    sum += in.at(n, c, ih, iw) * weight[((o * in.c() + c) * kh + i) * kw + j];
                  }
                }
              }
            }
            out[((n * m + o) * outH + oh) * outW + ow] = (float) sum;
          }
        }
      }
    }
    return new Tensor4(out, in.n(), m, outH, outW);
  }

  /** Random BN statistics for {@code channels} channels. */
  static final class BatchNormParameters {
    final float[] gamma;
    final float[] beta;
    final float[] mean;
    final float[] variance;
    final float epsilon = 1e-5f;

    BatchNormParameters(Random random, int channels) {
      gamma = randoms(random, channels);
      beta = randoms(random, channels);
      mean = randoms(random, channels);
      variance = new float[channels];
      for (int i = 0; i < channels; i++) {
        variance[i] = 0.1f + random.nextFloat();
      }
    }

    String addNode(OnnxGraphBuilder g, String in) {
      int channels = gamma.length;
      return g.batchNormalization(
          in,
          g.initializer("bn.gamma", gamma, channels),
          g.initializer("bn.beta", beta, channels),
          g.initializer("bn.mean", mean, channels),
          g.initializer("bn.var", variance, channels),
          epsilon);
    }

    Tensor4 apply(Tensor4 in) {
      float[] out = new float[in.data().length];
      int plane = in.h() * in.w();
      for (int n = 0; n < in.n(); n++) {
        for (int c = 0; c < in.c(); c++) {
          double scale = gamma[c] / Math.sqrt(variance[c] + epsilon);
          for (int i = 0; i < plane; i++) {
            int at = (n * in.c() + c) * plane + i;
            out[at] = (float) ((in.data()[at] - mean[c]) * scale + beta[c]);
          }
        }
      }
      return new Tensor4(out, in.n(), in.c(), in.h(), in.w());
    }
  }
}
