package io.mmsearch.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serialised model: header fields, file output, and what ONNX Runtime reads back. */
class OnnxModelTest {

  private static OnnxModel smallModel() {
    OnnxGraphBuilder g =
        new OnnxGraphBuilder("tiny").docString("a test graph").metadata("mmsearch.tower", "image");
    String x = g.input("x", ElementType.FLOAT, Dim.batch(), Dim.of(2));
    g.output("y", g.relu(x), ElementType.FLOAT, Dim.batch(), Dim.of(2));
    return g.build();
  }

  @Test
  void headerDeclaresIrVersion8ProducerAndOpset17OfTheDefaultDomain() throws Exception {
    // parsed with protobuf's schema-less parser: an independent reading of the wire format
    UnknownFieldSet model = UnknownFieldSet.parseFrom(smallModel().toByteArray());

    assertEquals(List.of(8L), model.getField(1).getVarintList());
    assertEquals(
        List.of(ByteString.copyFromUtf8("mmsearch")), model.getField(2).getLengthDelimitedList());
    UnknownFieldSet opset =
        UnknownFieldSet.parseFrom(model.getField(8).getLengthDelimitedList().get(0));
    assertEquals(List.of(ByteString.EMPTY), opset.getField(1).getLengthDelimitedList());
    assertEquals(List.of(17L), opset.getField(2).getVarintList());
  }

  @Test
  void runtimeReadsGraphNameDescriptionAndMetadata() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(smallModel().toByteArray())) {
      OnnxModelMetadata metadata = session.getMetadata();
      assertEquals("mmsearch", metadata.getProducerName());
      assertEquals("tiny", metadata.getGraphName());
      assertEquals("a test graph", metadata.getDescription());
      assertEquals(Map.of("mmsearch.tower", "image"), metadata.getCustomMetadata());
    }
  }

  @Test
  void writeToPathStoresExactlyTheSerialisedBytes(@TempDir Path dir) throws Exception {
    OnnxModel model = smallModel();
    Path file = dir.resolve("image.onnx");
    model.writeTo(file);

    assertArrayEquals(model.toByteArray(), Files.readAllBytes(file));
    try (OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString())) {
      assertEquals(List.of("x"), List.copyOf(session.getInputNames()));
      assertEquals(List.of("y"), List.copyOf(session.getOutputNames()));
    }
  }

  @Test
  void modelReportsItsInputsAndOutputs() {
    OnnxModel model = smallModel();
    assertEquals("tiny", model.graphName());
    assertEquals(List.of("x"), model.inputNames());
    assertEquals(List.of("y"), model.outputNames());
    assertEquals(2, model.nodeCount()); // Relu plus the Identity that names the output
  }

  @Test
  void megabyteSizedInitializerIsWrittenIntact() throws Exception {
    int count = 1_000_000;
    float[] weights = new float[count];
    double expectedSum = 0;
    for (int i = 0; i < count; i++) {
      weights[i] = i % 7; // small integers: the float sum is exact in any order
      expectedSum += weights[i];
    }
    OnnxGraphBuilder g = new OnnxGraphBuilder("large");
    String x = g.input("x", ElementType.FLOAT, Dim.of(1));
    String w = g.initializer("w", weights, count);
    g.output("y", g.add(x, g.reduceSum(w, true, 0)), ElementType.FLOAT, Dim.of(1));
    OnnxModel model = g.build();

    byte[] bytes = model.toByteArray();
    UnknownFieldSet graph =
        UnknownFieldSet.parseFrom(
            UnknownFieldSet.parseFrom(bytes).getField(7).getLengthDelimitedList().get(0));
    UnknownFieldSet initializer =
        UnknownFieldSet.parseFrom(graph.getField(5).getLengthDelimitedList().get(0));
    assertEquals(4 * count, initializer.getField(9).getLengthDelimitedList().get(0).size());
    assertArrayEquals(
        new float[] {(float) expectedSum + 0.5f},
        OrtHarness.runSingle(model, OrtHarness.feed("x", new float[] {0.5f}, 1)),
        0f);
  }

  @Test
  void sameGraphSerialisesToIdenticalBytes() {
    assertArrayEquals(smallModel().toByteArray(), smallModel().toByteArray());
  }
}
