package io.mmsearch.onnx;

import static io.mmsearch.onnx.OnnxGraphBuilderDenseTest.randoms;
import static io.mmsearch.onnx.OrtHarness.feed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gather, Concat, Slice, Transpose, Reshape, Squeeze/Unsqueeze, Cast and the reductions, each on a
 * tiny tensor whose expected values are computed in the test.
 */
class OnnxGraphBuilderTensorOpsTest {

  private final Random random = new Random(3);

  @Test
  void gatherLooksUpEmbeddingRowsForTokenIds() throws Exception {
    int vocab = 5;
    int dim = 3;
    float[] table = randoms(random, vocab * dim);
    long[] ids = {4, 0, 2, 2, 1, 3};

    OnnxGraphBuilder g = new OnnxGraphBuilder("gather");
    String tokens = g.input("ids", ElementType.INT64, Dim.batch(), Dim.symbolic("tokens"));
    String y = g.gather(g.initializer("embedding", table, vocab, dim), tokens, 0);
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.symbolic("tokens"), Dim.of(dim));

    float[] expected = new float[ids.length * dim];
    for (int k = 0; k < ids.length; k++) {
      System.arraycopy(table, (int) ids[k] * dim, expected, k * dim, dim);
    }
    assertArrayEquals(expected, OrtHarness.runSingle(g.build(), feed("ids", ids, 2, 3)), 0f);
  }

  @Test
  void int32InitializerServesAsGatherIndices() throws Exception {
    float[] x = {10, 11, 12, 13}; // [1, 4]
    OnnxGraphBuilder g = new OnnxGraphBuilder("gather_int32");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(4));
    String y = g.gather(in, g.initializerInt32("picks", new int[] {3, 0}, 2), 1);
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(2));

    assertArrayEquals(
        new float[] {13, 10}, OrtHarness.runSingle(g.build(), feed("x", x, 1, 4)), 0f);
  }

  @Test
  void concatJoinsAlongTheGivenAxis() throws Exception {
    float[] a = {1, 2, 3, 4}; // [2, 2]
    float[] b = {5, 6}; // [2, 1]
    OnnxGraphBuilder g = new OnnxGraphBuilder("concat");
    String x = g.input("a", ElementType.FLOAT, Dim.batch(), Dim.of(2));
    String y = g.concat(1, x, g.initializer("b", b, 2, 1));
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(3));

    assertArrayEquals(
        new float[] {1, 2, 5, 3, 4, 6}, OrtHarness.runSingle(g.build(), feed("a", a, 2, 2)), 0f);
  }

  @Test
  void sliceKeepsTheRequestedRangeWithStep() throws Exception {
    float[] x = new float[2 * 6];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    OnnxGraphBuilder g = new OnnxGraphBuilder("slice");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(6));
    String y =
        g.slice(in, new long[] {1}, new long[] {Long.MAX_VALUE}, new long[] {1}, new long[] {2});
    g.output("y", y, ElementType.FLOAT, Dim.batch(), Dim.of(3));

    assertArrayEquals(
        new float[] {1, 3, 5, 7, 9, 11}, OrtHarness.runSingle(g.build(), feed("x", x, 2, 6)), 0f);
  }

  @Test
  void transposeThenReshapeReordersAxes() throws Exception {
    // x [2, 3, 2] -> transpose (1, 0, 2) -> [3, 2, 2] -> reshape [3, 4]
    float[] x = new float[12];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    OnnxGraphBuilder g = new OnnxGraphBuilder("transpose");
    String in = g.input("x", ElementType.FLOAT, Dim.of(2), Dim.of(3), Dim.of(2));
    String y = g.reshape(g.transpose(in, 1, 0, 2), 0, -1);
    g.output("y", y, ElementType.FLOAT, Dim.of(3), Dim.of(4));

    float[] expected = new float[12];
    for (int b = 0; b < 3; b++) {
      for (int a = 0; a < 2; a++) {
        for (int c = 0; c < 2; c++) {
          expected[(b * 2 + a) * 2 + c] = x[(a * 3 + b) * 2 + c];
        }
      }
    }
    assertArrayEquals(expected, OrtHarness.runSingle(g.build(), feed("x", x, 2, 3, 2)), 0f);
  }

  @Test
  void unsqueezeThenSqueezeRestoresTheShape() throws Exception {
    float[] x = {1, 2, 3};
    OnnxGraphBuilder g = new OnnxGraphBuilder("squeeze");
    String in = g.input("x", ElementType.FLOAT, Dim.of(3));
    String expanded = g.unsqueeze(in, 0, 2); // [1, 3, 1]
    g.output("expanded", expanded, ElementType.FLOAT, Dim.of(1), Dim.of(3), Dim.of(1));
    g.output("restored", g.squeeze(expanded, 0, 2), ElementType.FLOAT, Dim.of(3));

    var results = OrtHarness.run(g.build(), feed("x", x, 3));
    assertArrayEquals(new long[] {1, 3, 1}, results.get("expanded").shape());
    assertArrayEquals(new long[] {3}, results.get("restored").shape());
    assertArrayEquals(x, results.get("restored").values(), 0f);
  }

  @Test
  void castToInt64TruncatesTowardZero() throws Exception {
    float[] x = {2.7f, -1.5f, 0.2f};
    OnnxGraphBuilder g = new OnnxGraphBuilder("cast");
    String in = g.input("x", ElementType.FLOAT, Dim.of(3));
    String y = g.cast(g.cast(in, ElementType.INT64), ElementType.FLOAT);
    g.output("y", y, ElementType.FLOAT, Dim.of(3));

    assertArrayEquals(new float[] {2, -1, 0}, OrtHarness.runSingle(g.build(), feed("x", x, 3)), 0f);
  }

  @Test
  void reductionsOverTheLastAxisMatchJava() throws Exception {
    int rows = 3;
    int cols = 4;
    float[] x = randoms(random, rows * cols);
    OnnxGraphBuilder g = new OnnxGraphBuilder("reduce");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(cols));
    g.output("mean", g.reduceMean(in, false, 1), ElementType.FLOAT, Dim.batch());
    g.output("sum", g.reduceSum(in, false, 1), ElementType.FLOAT, Dim.batch());
    g.output("max", g.reduceMax(in, true, -1), ElementType.FLOAT, Dim.batch(), Dim.of(1));

    float[] mean = new float[rows];
    float[] sum = new float[rows];
    float[] max = new float[rows];
    for (int r = 0; r < rows; r++) {
      max[r] = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        sum[r] += x[r * cols + c];
        max[r] = Math.max(max[r], x[r * cols + c]);
      }
      mean[r] = sum[r] / cols;
    }
    var results = OrtHarness.run(g.build(), feed("x", x, rows, cols));
    assertArrayEquals(mean, results.get("mean").values(), 1e-6f);
    assertArrayEquals(sum, results.get("sum").values(), 1e-6f);
    assertArrayEquals(max, results.get("max").values(), 0f);
    assertArrayEquals(new long[] {rows, 1}, results.get("max").shape());
  }

  @Test
  void arithmeticOpsBroadcastLikeNumpy() throws Exception {
    float[] x = {1, 2, 3, 4}; // [2, 2]
    OnnxGraphBuilder g = new OnnxGraphBuilder("arith");
    String in = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(2));
    String row = g.initializer("row", new float[] {10, 20}, 2);
    g.output("sub", g.sub(in, row), ElementType.FLOAT, Dim.batch(), Dim.of(2));
    g.output("mul", g.mul(in, row), ElementType.FLOAT, Dim.batch(), Dim.of(2));
    g.output("div", g.div(in, row), ElementType.FLOAT, Dim.batch(), Dim.of(2));
    g.output("max", g.max(in, g.scalarFloat(2.5f)), ElementType.FLOAT, Dim.batch(), Dim.of(2));

    var results = OrtHarness.run(g.build(), feed("x", x, 2, 2));
    assertArrayEquals(new float[] {-9, -18, -7, -16}, results.get("sub").values(), 0f);
    assertArrayEquals(new float[] {10, 40, 30, 80}, results.get("mul").values(), 0f);
    assertArrayEquals(new float[] {0.1f, 0.1f, 0.3f, 0.2f}, results.get("div").values(), 1e-7f);
    assertArrayEquals(new float[] {2.5f, 2.5f, 3, 4}, results.get("max").values(), 0f);
  }
}
