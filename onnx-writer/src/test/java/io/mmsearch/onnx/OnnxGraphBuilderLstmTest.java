package io.mmsearch.onnx;

import static io.mmsearch.onnx.OnnxGraphBuilderDenseTest.randoms;
import static io.mmsearch.onnx.OrtHarness.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LSTM nodes checked against the step equations in {@link ReferenceLstm}. */
class OnnxGraphBuilderLstmTest {

  private static final float TOLERANCE = 1e-5f;
  private static final int T = 4;
  private static final int N = 3;
  private static final int I = 3;
  private static final int H = 2;

  private final Random random = new Random(7);

  @Test
  void bidirectionalLstmWithDifferentLengthsMatchesStepEquations() throws Exception {
    int d = 2;
    int[] lengths = {4, 2, 1};
    float[] x = randoms(random, T * N * I);
    float[] w = randoms(random, d * 4 * H * I);
    float[] r = randoms(random, d * 4 * H * H);
    float[] wb = randoms(random, d * 4 * H);
    float[] rb = randoms(random, d * 4 * H);

    OnnxGraphBuilder g = new OnnxGraphBuilder("bilstm");
    String in = g.input("x", ElementType.FLOAT, Dim.of(T), Dim.batch(), Dim.of(I));
    String lens = g.input("lengths", ElementType.INT32, Dim.batch());
    LstmOutputs out =
        g.lstm(
            in,
            LstmSpec.builder()
                .hiddenSize(H)
                .direction(LstmDirection.BIDIRECTIONAL)
                .inputWeights(g.initializer("W", w, d, 4 * H, I))
                .recurrentWeights(g.initializer("R", r, d, 4 * H, H))
                .bias(g.initializer("B", onnxBias(wb, rb, d), d, 8 * H))
                .sequenceLengths(lens)
                .build());
    g.output("y", out.sequence(), ElementType.FLOAT, Dim.of(T), Dim.of(d), Dim.batch(), Dim.of(H));
    g.output("y_h", out.lastHidden(), ElementType.FLOAT, Dim.of(d), Dim.batch(), Dim.of(H));
    g.output("y_c", out.lastCell(), ElementType.FLOAT, Dim.of(d), Dim.batch(), Dim.of(H));

    ReferenceLstm.Outputs expected =
        new ReferenceLstm(T, N, I, H, d, ReferenceLstm.ONNX_BLOCKS)
            .run(x, w, r, wb, rb, lengths, null, null);
    Map<String, OrtHarness.Result> actual =
        OrtHarness.run(g.build(), feed("x", x, T, N, I), feed("lengths", lengths, N));

    assertArrayEquals(
        validSteps(expected.y(), lengths, d),
        validSteps(actual.get("y").values(), lengths, d),
        TOLERANCE);
    assertArrayEquals(expected.lastH(), actual.get("y_h").values(), TOLERANCE);
    assertArrayEquals(expected.lastC(), actual.get("y_c").values(), TOLERANCE);
  }

  @Test
  void sequenceOutputIsZeroAtPaddingSteps() throws Exception {
    int[] lengths = {4, 2, 0};
    float[] x = randoms(random, T * N * I);
    OnnxGraphBuilder g = new OnnxGraphBuilder("lstm_padding");
    String in = g.input("x", ElementType.FLOAT, Dim.of(T), Dim.batch(), Dim.of(I));
    String lens = g.input("lengths", ElementType.INT32, Dim.batch());
    LstmOutputs out =
        g.lstm(
            in,
            LstmSpec.builder()
                .hiddenSize(H)
                .direction(LstmDirection.BIDIRECTIONAL)
                .inputWeights(g.initializer("W", randoms(random, 2 * 4 * H * I), 2, 4 * H, I))
                .recurrentWeights(g.initializer("R", randoms(random, 2 * 4 * H * H), 2, 4 * H, H))
                .sequenceLengths(lens)
                .build());
    g.output("y", out.sequence(), ElementType.FLOAT, Dim.of(T), Dim.of(2), Dim.batch(), Dim.of(H));

    float[] y = OrtHarness.runSingle(g.build(), feed("x", x, T, N, I), feed("lengths", lengths, N));
    for (int t = 0; t < T; t++) {
      for (int d = 0; d < 2; d++) {
        for (int n = 0; n < N; n++) {
          for (int k = 0; k < H; k++) {
            float value = y[((t * 2 + d) * N + n) * H + k];
            if (t >= lengths[n]) {
              assertEquals(0f, value, "step " + t + " of sequence " + n + " is padding");
            }
          }
        }
      }
    }
  }

  @Test
  void forwardLstmStartsFromTheGivenInitialState() throws Exception {
    float[] x = randoms(random, T * N * I);
    float[] w = randoms(random, 4 * H * I);
    float[] r = randoms(random, 4 * H * H);
    float[] h0 = randoms(random, N * H);
    float[] c0 = randoms(random, N * H);

    OnnxGraphBuilder g = new OnnxGraphBuilder("lstm");
    String in = g.input("x", ElementType.FLOAT, Dim.of(T), Dim.of(N), Dim.of(I));
    LstmOutputs out =
        g.lstm(
            in,
            LstmSpec.builder()
                .hiddenSize(H)
                .inputWeights(g.initializer("W", w, 1, 4 * H, I))
                .recurrentWeights(g.initializer("R", r, 1, 4 * H, H))
                .initialState(g.initializer("h0", h0, 1, N, H), g.initializer("c0", c0, 1, N, H))
                .build());
    g.output("y", out.sequence(), ElementType.FLOAT, Dim.of(T), Dim.of(1), Dim.of(N), Dim.of(H));

    ReferenceLstm.Outputs expected =
        new ReferenceLstm(T, N, I, H, 1, ReferenceLstm.ONNX_BLOCKS)
            .run(x, w, r, null, null, null, h0, c0);
    assertArrayEquals(
        expected.y(), OrtHarness.runSingle(g.build(), feed("x", x, T, N, I)), TOLERANCE);
  }

  @Test
  void pyTorchParametersReorderedToOnnxGateOrderGiveThePyTorchResult() throws Exception {
    int d = 2;
    int[] lengths = {3, 4, 2};
    float[] x = randoms(random, T * N * I);
    // per direction, as nn.LSTM stores them: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0
    float[][] weightIh = {randoms(random, 4 * H * I), randoms(random, 4 * H * I)};
    float[][] weightHh = {randoms(random, 4 * H * H), randoms(random, 4 * H * H)};
    float[][] biasIh = {randoms(random, 4 * H), randoms(random, 4 * H)};
    float[][] biasHh = {randoms(random, 4 * H), randoms(random, 4 * H)};

    float[] w =
        LstmGateOrder.stackDirections(
            LstmGateOrder.lstmWeightsFromPyTorchOrder(weightIh[0], H),
            LstmGateOrder.lstmWeightsFromPyTorchOrder(weightIh[1], H));
    float[] r =
        LstmGateOrder.stackDirections(
            LstmGateOrder.lstmWeightsFromPyTorchOrder(weightHh[0], H),
            LstmGateOrder.lstmWeightsFromPyTorchOrder(weightHh[1], H));
    float[] b =
        LstmGateOrder.stackDirections(
            LstmGateOrder.lstmBiasFromPyTorchOrder(biasIh[0], biasHh[0], H),
            LstmGateOrder.lstmBiasFromPyTorchOrder(biasIh[1], biasHh[1], H));

    OnnxGraphBuilder g = new OnnxGraphBuilder("bilstm_from_pytorch");
    String in = g.input("x", ElementType.FLOAT, Dim.of(T), Dim.batch(), Dim.of(I));
    String lens = g.input("lengths", ElementType.INT32, Dim.batch());
    LstmOutputs out =
        g.lstm(
            in,
            LstmSpec.builder()
                .hiddenSize(H)
                .direction(LstmDirection.BIDIRECTIONAL)
                .inputWeights(g.initializer("W", w, d, 4 * H, I))
                .recurrentWeights(g.initializer("R", r, d, 4 * H, H))
                .bias(g.initializer("B", b, d, 8 * H))
                .sequenceLengths(lens)
                .build());
    g.output("y_h", out.lastHidden(), ElementType.FLOAT, Dim.of(d), Dim.batch(), Dim.of(H));

    ReferenceLstm.Outputs expected =
        new ReferenceLstm(T, N, I, H, d, ReferenceLstm.PYTORCH_BLOCKS)
            .run(
                x,
                LstmGateOrder.stackDirections(weightIh),
                LstmGateOrder.stackDirections(weightHh),
                LstmGateOrder.stackDirections(biasIh),
                LstmGateOrder.stackDirections(biasHh),
                lengths,
                null,
                null);
    assertArrayEquals(
        expected.lastH(),
        OrtHarness.runSingle(g.build(), feed("x", x, T, N, I), feed("lengths", lengths, N)),
        TOLERANCE);
  }

  @Test
  void gateReorderMovesPyTorchBlocksIfgoToOnnxIofc() {
    // hidden size 1: one value per gate, named by its PyTorch gate
    float i = 1;
    float f = 2;
    float g = 3;
    float o = 4;
    assertArrayEquals(
        new float[] {i, o, f, g},
        LstmGateOrder.lstmWeightsFromPyTorchOrder(new float[] {i, f, g, o}, 1),
        0);
  }

  @Test
  void gateReorderRejectsParametersThatAreNotFourGateBlocks() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LstmGateOrder.lstmWeightsFromPyTorchOrder(new float[10], 2));
    assertEquals(
        "LSTM parameter of 10 values is not 4 gate blocks of hidden size 2", e.getMessage());
  }

  /** ONNX's B [D, 8H]: per direction the input bias then the recurrent bias. */
  static float[] onnxBias(float[] inputBias, float[] recurrentBias, int directions) {
    int block = inputBias.length / directions;
    float[] b = new float[2 * inputBias.length];
    for (int d = 0; d < directions; d++) {
      System.arraycopy(inputBias, d * block, b, 2 * d * block, block);
      System.arraycopy(recurrentBias, d * block, b, (2 * d + 1) * block, block);
    }
    return b;
  }

  /** The values of y [T, D, N, H] at steps t < lengths[n]; padding steps are left out. */
  static float[] validSteps(float[] y, int[] lengths, int directions) {
    float[] kept = new float[y.length];
    int count = 0;
    for (int t = 0; t < T; t++) {
      for (int d = 0; d < directions; d++) {
        for (int n = 0; n < N; n++) {
          if (t < lengths[n]) {
            int at = ((t * directions + d) * N + n) * H;
            System.arraycopy(y, at, kept, count, H);
            count += H;
          }
        }
      }
    }
    return Arrays.copyOf(kept, count);
  }
}
