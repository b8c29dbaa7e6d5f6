package io.mmsearch.onnx;

import static io.mmsearch.onnx.OnnxGraphBuilderDenseTest.randoms;
import static io.mmsearch.onnx.OrtHarness.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** L2 normalisation, masked mean pooling and a whole text tower, checked against Java. */
class OnnxGraphBuilderCompositeTest {

  private static final float TOLERANCE = 1e-5f;
  private final Random random = new Random(11);

  @Test
  void l2NormalizeGivesUnitRows() throws Exception {
    int rows = 3;
    int cols = 5;
    float[] x = randoms(random, rows * cols);
    OnnxGraphBuilder g = new OnnxGraphBuilder("l2");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(cols));
    g.output("y", g.l2Normalize(in, 1), ElementType.FLOAT, Dim.batch(), Dim.of(cols));

    float[] y = OrtHarness.runSingle(g.build(), feed("x", x, rows, cols));
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int c = 0; c < cols; c++) {
        norm += (double) x[r * cols + c] * x[r * cols + c];
      }
      norm = Math.sqrt(norm);
      double length = 0;
      for (int c = 0; c < cols; c++) {
        assertEquals(x[r * cols + c] / norm, y[r * cols + c], TOLERANCE);
        length += (double) y[r * cols + c] * y[r * cols + c];
      }
      assertEquals(1.0, Math.sqrt(length), TOLERANCE);
    }
  }

  @Test
  void l2NormalizeLeavesAZeroVectorZeroInsteadOfNaN() throws Exception {
    OnnxGraphBuilder g = new OnnxGraphBuilder("l2");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(3));
    g.output("y", g.l2Normalize(in, 1), ElementType.FLOAT, Dim.batch(), Dim.of(3));

    assertArrayEquals(
        new float[] {0, 0, 0}, OrtHarness.runSingle(g.build(), feed("x", new float[3], 1, 3)), 0f);
  }

  @Test
  void maskedMeanAveragesOnlyValidStepsAndIgnoresPaddingValues() throws Exception {
    int t = 4;
    int d = 2;
    int n = 3;
    int h = 2;
    int[] lengths = {4, 1, 0};
    // padding steps hold large values: they must not leak into the mean
    float[] seq = randoms(random, t * d * n * h);
    for (int step = 0; step < t; step++) {
      for (int b = 0; b < n; b++) {
        if (step >= lengths[b]) {
          for (int dir = 0; dir < d; dir++) {
            for (int k = 0; k < h; k++) {
              seq[((step * d + dir) * n + b) * h + k] = 1000;
            }
          }
        }
      }
    }
    OnnxGraphBuilder g = new OnnxGraphBuilder("masked_mean");
    String in =
        g.input("y", ElementType.FLOAT, Dim.symbolic("steps"), Dim.of(d), Dim.batch(), Dim.of(h));
    String lens = g.input("lengths", ElementType.INT32, Dim.batch());
    g.output(
        "pooled", g.maskedMeanOverTime(in, lens), ElementType.FLOAT, Dim.batch(), Dim.of(d * h));

    float[] expected = maskedMean(seq, lengths, t, d, n, h);
    assertArrayEquals(new float[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(expected, 8, 12), 0f);
    assertArrayEquals(
        expected,
        OrtHarness.runSingle(g.build(), feed("y", seq, t, d, n, h), feed("lengths", lengths, n)),
        TOLERANCE);
  }

  @Test
  void textTowerOfEmbeddingBiLstmMaskedMeanProjectionAndL2MatchesJava() throws Exception {
    int vocab = 7;
    int e = 3;
    int h = 2;
    int out = 4;
    int t = 5;
    int n = 3;
    long[] ids = {1, 2, 3, 4, 5, 6, 6, 5, 0, 0, 2, 0, 0, 0, 0};
    int[] lengths = {5, 3, 1};
    float[] table = randoms(random, vocab * e);
    float[] w = randoms(random, 2 * 4 * h * e);
    float[] r = randoms(random, 2 * 4 * h * h);
    float[] wb = randoms(random, 2 * 4 * h);
    float[] rb = randoms(random, 2 * 4 * h);
    float[] projection = randoms(random, out * 2 * h);

    OnnxGraphBuilder g = new OnnxGraphBuilder("text_encoder");
    String tokens = g.input("input_ids", ElementType.INT64, Dim.batch(), Dim.symbolic("tokens"));
    String lens = g.input("lengths", ElementType.INT32, Dim.batch());
    String embedded = g.gather(g.initializer("token_embedding", table, vocab, e), tokens, 0);
    String timeMajor = g.transpose(embedded, 1, 0, 2); // [T, N, E]
    LstmOutputs lstm =
        g.lstm(
            timeMajor,
            LstmSpec.builder()
                .hiddenSize(h)
                .direction(LstmDirection.BIDIRECTIONAL)
                .inputWeights(g.initializer("lstm.W", w, 2, 4 * h, e))
                .recurrentWeights(g.initializer("lstm.R", r, 2, 4 * h, h))
                .bias(
                    g.initializer("lstm.B", OnnxGraphBuilderLstmTest.onnxBias(wb, rb, 2), 2, 8 * h))
                .sequenceLengths(lens)
                .build());
    String pooled = g.maskedMeanOverTime(lstm.sequence(), lens);
    String projected =
        g.gemm(pooled, g.initializer("proj.weight", projection, out, 2 * h), null, true);
    g.output("embedding", g.l2Normalize(projected, 1), ElementType.FLOAT, Dim.batch(), Dim.of(out));

    // Java: embed, run the reference BiLSTM, pool, project, normalise
    float[] x = new float[t * n * e];
    for (int b = 0; b < n; b++) {
      for (int step = 0; step < t; step++) {
        System.arraycopy(table, (int) ids[b * t + step] * e, x, (step * n + b) * e, e);
      }
    }
    float[] y =
        new ReferenceLstm(t, n, e, h, 2, ReferenceLstm.ONNX_BLOCKS)
            .run(x, w, r, wb, rb, lengths, null, null)
            .y();
    float[] mean = maskedMean(y, lengths, t, 2, n, h);
    float[] expected = new float[n * out];
    for (int b = 0; b < n; b++) {
      double norm = 0;
      for (int o = 0; o < out; o++) {
        double sum = 0;
        for (int k = 0; k < 2 * h; k++) {
          sum += projection[o * 2 * h + k] * mean[b * 2 * h + k];
        }
        expected[b * out + o] = (float) sum;
        norm += sum * sum;
      }
      for (int o = 0; o < out; o++) {
        expected[b * out + o] /= (float) Math.sqrt(norm);
      }
    }
    assertArrayEquals(
        expected,
        OrtHarness.runSingle(g.build(), feed("input_ids", ids, n, t), feed("lengths", lengths, n)),
        TOLERANCE);
  }

  @Test
  void imageTowerOfFoldedConvBnReluPoolProjectionAndL2MatchesJava() throws Exception {
    int n = 2;
    int c = 3;
    int size = 8;
    int m = 4;
    int out = 3;
    float[] pixels = randoms(random, n * c * size * size);
    float[] weight = randoms(random, m * c * 3 * 3);
    OnnxGraphBuilderConvTest.BatchNormParameters bn =
        new OnnxGraphBuilderConvTest.BatchNormParameters(random, m);
    float[] projection = randoms(random, out * m);
    float[] projectionBias = randoms(random, out);
    BatchNormFolding.FoldedConv folded =
        BatchNormFolding.fold(weight, null, bn.gamma, bn.beta, bn.mean, bn.variance, bn.epsilon);

    OnnxGraphBuilder g = new OnnxGraphBuilder("image_encoder");
    String x =
        g.input("pixels", ElementType.FLOAT, Dim.batch(), Dim.of(c), Dim.of(size), Dim.of(size));
    String features =
        g.relu(
            g.conv(
                x,
                g.initializer("conv1.weight", folded.weight(), m, c, 3, 3),
                g.initializer("conv1.bias", folded.bias(), m),
                KernelWindow.square(3, 1, 1)));
    String pooled =
        g.flatten(g.globalAveragePool(g.maxPool(features, KernelWindow.square(2, 2, 0))), 1);
    String projected =
        g.gemm(
            pooled,
            g.initializer("proj.weight", projection, out, m),
            g.initializer("proj.bias", projectionBias, out),
            true);
    g.output("embedding", g.l2Normalize(projected, 1), ElementType.FLOAT, Dim.batch(), Dim.of(out));

    // Java: unfolded conv + BN, relu, 2x2 max pool, mean, projection, normalisation
    OnnxGraphBuilderConvTest.Tensor4 conv =
        bn.apply(
            OnnxGraphBuilderConvTest.conv(
                new OnnxGraphBuilderConvTest.Tensor4(pixels, n, c, size, size),
                weight,
                null,
                m,
                3,
                3,
                1,
                1,
                1,
                1,
                1,
                1));
    float[] expected = new float[n * out];
    for (int b = 0; b < n; b++) {
      float[] channelMean = new float[m];
      for (int ch = 0; ch < m; ch++) {
        double sum = 0;
        for (int ph = 0; ph < size / 2; ph++) {
          for (int pw = 0; pw < size / 2; pw++) {
            float best = 0; // relu output is >= 0
            for (int i = 0; i < 2; i++) {
              for (int j = 0; j < 2; j++) {
                best = Math.max(best, conv.at(b, ch, ph * 2 + i, pw * 2 + j));
              }
            }
            sum += best;
          }
        }
        channelMean[ch] = (float) (sum / (size / 2 * size / 2));
      }
      double norm = 0;
      for (int o = 0; o < out; o++) {
        double v = projectionBias[o];
        for (int ch = 0; ch < m; ch++) {
          v += projection[o * m + ch] * channelMean[ch];
        }
        expected[b * out + o] = (float) v;
        norm += v * v;
      }
      for (int o = 0; o < out; o++) {
        expected[b * out + o] /= (float) Math.sqrt(norm);
      }
    }
    assertArrayEquals(
        expected, OrtHarness.runSingle(g.build(), feed("pixels", pixels, n, c, size, size)), 1e-4f);
  }

  /** Mean of y [T, D, N, H] over steps t < lengths[n], directions concatenated: [N, D*H]. */
  static float[] maskedMean(float[] y, int[] lengths, int t, int d, int n, int h) {
    float[] mean = new float[n * d * h];
    for (int b = 0; b < n; b++) {
      for (int dir = 0; dir < d; dir++) {
        for (int k = 0; k < h; k++) {
          double sum = 0;
          for (int step = 0; step < lengths[b]; step++) {
            sum += y[((step * d + dir) * n + b) * h + k];
          }
          mean[(b * d + dir) * h + k] = lengths[b] == 0 ? 0 : (float) (sum / lengths[b]);
        }
      }
    }
    return mean;
  }
}
