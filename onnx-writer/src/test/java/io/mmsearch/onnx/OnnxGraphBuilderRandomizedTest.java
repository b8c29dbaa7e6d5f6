package io.mmsearch.onnx;

import static io.mmsearch.onnx.OnnxGraphBuilderDenseTest.randoms;
import static io.mmsearch.onnx.OrtHarness.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conv and LSTM over randomly drawn shapes and attributes. The seed is in every failure message;
 * rerun one with {@code -Dtests.seed=<seed>}.
 */
class OnnxGraphBuilderRandomizedTest {

  private static final int ROUNDS = 12;
  private static final long SEED = Long.getLong("tests.seed", new Random().nextLong());

  @Test
  void convMatchesLoopsForRandomShapesStridesAndPads() throws Exception {
    Random random = new Random(SEED);
    for (int round = 0; round < ROUNDS; round++) {
      int n = 1 + random.nextInt(2);
      int c = 1 + random.nextInt(3);
      int m = 1 + random.nextInt(4);
      int kh = 1 + random.nextInt(3);
      int kw = 1 + random.nextInt(3);
      int h = kh + random.nextInt(6);
      int w = kw + random.nextInt(6);
      int sh = 1 + random.nextInt(2);
      int sw = 1 + random.nextInt(2);
      int[] pads = {random.nextInt(kh), random.nextInt(kw), random.nextInt(kh), random.nextInt(kw)};
      int outH = (h + pads[0] + pads[2] - kh) / sh + 1;
      int outW = (w + pads[1] + pads[3] - kw) / sw + 1;
      float[] x = randoms(random, n * c * h * w);
      float[] weight = randoms(random, m * c * kh * kw);
      float[] bias = random.nextBoolean() ? randoms(random, m) : null;

      OnnxGraphBuilder g = new OnnxGraphBuilder("conv");
      String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(c), Dim.of(h), Dim.of(w));
      String y =
          g.conv(
              in,
              g.initializer("w", weight, m, c, kh, kw),
              bias == null ? null : g.initializer("b", bias, m),
              KernelWindow.of(new int[] {kh, kw}, new int[] {sh, sw}, pads));
      g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(m), Dim.of(outH), Dim.of(outW));

      float[] expected =
          OnnxGraphBuilderConvTest.conv(
                  new OnnxGraphBuilderConvTest.Tensor4(x, n, c, h, w),
                  weight,
                  bias,
                  m,
                  kh,
                  kw,
                  sh,
                  sw,
                  pads[0],
                  pads[1],
                  pads[2],
                  pads[3])
              .data();
      assertArrayEquals(
          expected,
          OrtHarness.runSingle(g.build(), feed("x", x, n, c, h, w)),
          1e-4f,
          "seed " + SEED + ", round " + round);
    }
  }

  @Test
  void lstmMatchesStepEquationsForRandomShapesLengthsAndDirections() throws Exception {
    Random random = new Random(SEED);
    for (int round = 0; round < ROUNDS; round++) {
      int t = 1 + random.nextInt(5);
      int n = 1 + random.nextInt(4);
      int inputSize = 1 + random.nextInt(4);
      int hidden = 1 + random.nextInt(4);
      boolean bidirectional = random.nextBoolean();
      int d = bidirectional ? 2 : 1;
      int[] lengths = new int[n];
      for (int i = 0; i < n; i++) {
        lengths[i] = random.nextInt(t + 1);
      }
      float[] x = randoms(random, t * n * inputSize);
      float[] w = randoms(random, d * 4 * hidden * inputSize);
      float[] r = randoms(random, d * 4 * hidden * hidden);
      float[] wb = randoms(random, d * 4 * hidden);
      float[] rb = randoms(random, d * 4 * hidden);

      OnnxGraphBuilder g = new OnnxGraphBuilder("lstm");
      String in = g.input("x", ElementType.FLOAT, Dim.of(t), Dim.batch(), Dim.of(inputSize));
      String lens = g.input("lengths", ElementType.INT32, Dim.batch());
      LstmOutputs out =
          g.lstm(
              in,
              LstmSpec.builder()
                  .hiddenSize(hidden)
                  .direction(bidirectional ? LstmDirection.BIDIRECTIONAL : LstmDirection.FORWARD)
                  .inputWeights(g.initializer("W", w, d, 4 * hidden, inputSize))
                  .recurrentWeights(g.initializer("R", r, d, 4 * hidden, hidden))
                  .bias(
                      g.initializer(
                          "B", OnnxGraphBuilderLstmTest.onnxBias(wb, rb, d), d, 8 * hidden))
                  .sequenceLengths(lens)
                  .build());
      g.output(
          "y",
          out.sequence(),
          ElementType.FLOAT,
          Dim.of(t),
          Dim.of(d),
          Dim.batch(),
          Dim.of(hidden));
      g.output("y_h", out.lastHidden(), ElementType.FLOAT, Dim.of(d), Dim.batch(), Dim.of(hidden));
      g.output(
          "pooled",
          g.maskedMeanOverTime(out.sequence(), lens),
          ElementType.FLOAT,
          Dim.batch(),
          Dim.of(d * hidden));

      ReferenceLstm.Outputs expected =
          new ReferenceLstm(t, n, inputSize, hidden, d, ReferenceLstm.ONNX_BLOCKS)
              .run(x, w, r, wb, rb, lengths, null, null);
      Map<String, OrtHarness.Result> actual =
          OrtHarness.run(g.build(), feed("x", x, t, n, inputSize), feed("lengths", lengths, n));
      String where = "seed " + SEED + ", round " + round;
      // padding steps are zero in both
      assertArrayEquals(expected.y(), actual.get("y").values(), 1e-5f, where);
      assertArrayEquals(expected.lastH(), actual.get("y_h").values(), 1e-5f, where);
      assertArrayEquals(
          OnnxGraphBuilderCompositeTest.maskedMean(expected.y(), lengths, t, d, n, hidden),
          actual.get("pooled").values(),
          1e-5f,
          where);
    }
  }
}
