package io.mmsearch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.training.export.BundleExporter;
import io.mmsearch.training.export.ParityReport;
import io.mmsearch.training.export.ParitySample;
import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.TrainingOutcome;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short training run, exported once; the tests check the bundle from every side. */
class ExportAndServeTest {

  @TempDir static Path dir;
  static Path manifest;
  static Checkpoint best;
  static BundleExporter.Exported exported;

  @BeforeAll
  static void trainAndExport() throws Exception {
    manifest = SyntheticShapes.writeManifest(dir.resolve("data"), 3, 32, 2);
    TrainingOutcome outcome =
        new DualEncoderTrainer(
                TrainingTestSupport.smallConfig().epochs(3).build(),
                new PrintStream(OutputStream.nullOutputStream()),
                false)
            .train(manifest, dir.resolve("out"), false);
    best = Checkpoint.read(outcome.bestCheckpoint());
    exported =
        new BundleExporter("shapes-test", true, 1)
            .export(
                best,
                dir.resolve("bundle"),
                ParitySample.of(List.of(manifest), best, null, null, 16));
  }

  @Test
  void exportedGraphsMatchDjlOnRandomAndRealInputs() {
    ParityReport parity = exported.parity();
    System.out.println(parity);
    assertTrue(parity.passes(), parity.toString());
    assertTrue(parity.imageReal() >= ParityReport.REQUIRED_COSINE, parity.toString());
    assertTrue(parity.textRandom() >= ParityReport.REQUIRED_COSINE, parity.toString());
  }

  @Test
  void bundleDeclaresTheModelAndItsProvenance() throws Exception {
    ModelBundle bundle = ModelBundle.open(dir.resolve("bundle"));
    assertEquals(64, bundle.dimension());
    assertEquals(32, bundle.imageSpec().size());
    assertEquals(16, bundle.textSpec().maxTokens());
    assertEquals(best.vocabulary(), bundle.vocabulary());
    assertEquals(7, bundle.provenance().seed());
    assertTrue(bundle.provenance().metrics().containsKey("t2i_recall@1"));
  }

  @Test
  void onnxRuntimeAndPyTorchEnginesServeTheSameVectors() throws Exception {
    byte[] image = Files.readAllBytes(dir.resolve("data/images/red-circle-white-0.png"));
    List<String> texts = List.of("a red circle on a white background", "blue square");
    try (DualEncoder ort =
            Encoders.open(EncoderCriteria.builder().bundle(dir.resolve("bundle")).build());
        DualEncoder torch =
            Encoders.open(
                EncoderCriteria.builder()
                    .bundle(dir.resolve("bundle"))
                    .engine("pytorch")
                    .build())) {
      assertTrue(cosine(ort.image().encode(image), torch.image().encode(image)) >= 0.9999);
      List<float[]> a = ort.text().encodeBatch(texts);
      List<float[]> b = torch.text().encodeBatch(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertTrue(cosine(a.get(i), b.get(i)) >= 0.9999, texts.get(i));
      }
    }
  }

  @Test
  void pyTorchEngineRefusesABundleWithoutWeights() throws Exception {
    Path onnxOnly =
        new BundleExporter("onnx-only", false, 1)
            .export(
                best,
                dir.resolve("onnx-only"),
                ParitySample.of(List.of(manifest), best, null, null, 4))
            .bundle()
            .directory();
    assertFalse(Files.exists(onnxOnly.resolve(BundleExporter.PYTORCH_DIR)));
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () ->
                Encoders.open(
                    EncoderCriteria.builder().bundle(onnxOnly).engine("pytorch").build()));
    assertTrue(e.getMessage().contains("onnxruntime"), e.getMessage());
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
