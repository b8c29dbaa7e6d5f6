package io.mmsearch.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Mistakes in a graph are reported by the builder, naming the op and the tensor. */
class OnnxGraphBuilderValidationTest {

  @Test
  void opOnUnknownTensorNamesTheOpAndTheTensor() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bad");
    g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(3));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> g.add("x", "bias"));
    assertEquals(
        "Add: input 'bias' is not a graph input, initializer or output of an earlier node",
        e.getMessage());
  }

  @Test
  void opWithConstantInputsChecksItsDataInputBeforeAddingConstants() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bad");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> g.reshape("missing", 0, -1));
    assertEquals(
        "Reshape: input 'missing' is not a graph input, initializer or output of an earlier node",
        e.getMessage());
  }

  @Test
  void outputOfUnknownTensorIsRejected() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bad");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> g.output("typo", ElementType.FLOAT, Dim.batch()));
    assertEquals(
        "graph output: input 'typo' is not a graph input, initializer or output of an earlier"
            + " node",
        e.getMessage());
  }

  @Test
  void reusingATensorNameIsRejected() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bad");
    g.input("x", ElementType.FLOAT, Dim.of(1));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> g.initializer("x", new float[] {1}, 1));
    assertEquals(
        "cannot name the initializer 'x': the name is already taken by the graph input",
        e.getMessage());
  }

  @Test
  void initializerWhoseShapeDoesNotMatchItsValuesIsRejected() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bad");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> g.initializer("w", new float[5], 2, 3));
    assertEquals("initializer 'w': shape [2, 3] holds 6 values but 5 were given", e.getMessage());
  }

  @Test
  void convWhoseWeightDisagreesWithTheKernelShapeIsRejected() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bad");
    String x = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(1), Dim.of(8), Dim.of(8));
    String w = g.initializer("w", new float[4 * 9], 4, 1, 3, 3);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> g.conv(x, w, null, KernelWindow.square(5, 1, 2)));
    assertEquals(
        "Conv: weight 'w' has shape [4, 1, 3, 3] but the kernel shape is [5, 5]", e.getMessage());
  }

  @Test
  void graphWithoutOutputCannotBeBuilt() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("empty");
    g.input("x", ElementType.FLOAT, Dim.of(1));

    IllegalStateException e = assertThrows(IllegalStateException.class, g::build);
    assertEquals("graph 'empty' declares no output", e.getMessage());
  }

  @Test
  void lstmNeedsBothInitialStatesOrNeither() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LstmSpec.builder()
                    .hiddenSize(2)
                    .inputWeights("W")
                    .recurrentWeights("R")
                    .initialState("h0", null)
                    .build());
    assertEquals("LSTM initial hidden and cell state must be given together", e.getMessage());
  }

  @Test
  void lstmWithUnknownSequenceLengthsNamesTheTensor() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bad");
    String x = g.input("x", ElementType.FLOAT, Dim.of(2), Dim.batch(), Dim.of(1));
    LstmSpec spec =
        LstmSpec.builder()
            .hiddenSize(1)
            .inputWeights(g.initializer("W", new float[4], 1, 4, 1))
            .recurrentWeights(g.initializer("R", new float[4], 1, 4, 1))
            .sequenceLengths("lengths")
            .build();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> g.lstm(x, spec));
    assertEquals(
        "LSTM: input 'lengths' is not a graph input, initializer or output of an earlier node",
        e.getMessage());
  }

  @Test
  void kernelWindowRejectsPadsOfTheWrongRank() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KernelWindow.of(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}));
    assertEquals(
        "window for 2 spatial axes needs 2 strides, 2 dilations and 4 pads, got strides=[1, 1]"
            + " dilations=[1, 1] pads=[1, 1]",
        e.getMessage());
  }

  @Test
  void foldingRejectsStatisticsOfTheWrongSize() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BatchNormFolding.fold(
                    new float[8],
                    null,
                    new float[2],
                    new float[2],
                    new float[2],
                    new float[3],
                    1e-5f));
    assertEquals(
        "BatchNorm folding: gamma, beta, mean, variance and conv bias must all have one value per"
            + " output channel (2)",
        e.getMessage());
  }
}
