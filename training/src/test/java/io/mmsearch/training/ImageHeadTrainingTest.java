package io.mmsearch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.mmsearch.training.data.ImageFeatureCache;
import io.mmsearch.training.export.ExportParity;
import io.mmsearch.training.export.OnnxExport;
import io.mmsearch.training.export.ParityReport;
import io.mmsearch.training.export.ParitySample;
import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.TrainingOutcome;
import io.mmsearch.training.model.DualEncoder;
import io.mmsearch.training.model.ImageTowerKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image head trained on frozen features: here a unit-test double of the backbone (cell means of
 * the preprocessed image, {@link CellMeanFeatures}); {@code RealImageBackboneTrainingTest} trains
 * on the real one.
 */
class ImageHeadTrainingTest {

  @TempDir static Path dir;
  static CellMeanFeatures backbone;
  static ImageFeatureCache cache;
  static TrainingOutcome outcome;
  static String log;

  @BeforeAll
  static void train() throws Exception {
    Path manifest = SyntheticShapes.writeManifest(dir.resolve("data"), 4, 48, 3);
    backbone = new CellMeanFeatures(32, 4, 8, "shapes");
    cache = ImageFeatureCache.open(backbone, dir.resolve("cache"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    outcome =
        new DualEncoderTrainer(
                TrainingTestSupport.smallConfig()
                    .imageTower(ImageTowerKind.BACKBONE_HEAD)
                    .imageHead(32, 128, 0.1f, 3)
                    .epochs(15)
                    .build(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                false,
                null,
                cache)
            .train(manifest, dir.resolve("out"), false);
    log = out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theHeadLearnsToMatchImagesAndCaptions() {
    double chance = 1.0 / SyntheticShapes.conceptCount();
    double r1 = outcome.best().recall().textToImageAt1();
    assertTrue(r1 > 8 * chance, "t2i R@1 " + r1 + " vs chance " + chance + "\n" + log);
    assertTrue(log.contains("frozen image backbone features 48-d"), log);
  }

  @Test
  void everyTrainingImageIsComputedOncePerViewAndValidationOnlyClean() {
    int train = outcome.trainItems();
    int validation = outcome.validationItems();
    assertEquals(3 * train + validation, backbone.computed());
    assertEquals(3 * train + validation, cache.size());
  }

  @Test
  void theExportedHeadGraphMatchesTheTrainedHead() throws Exception {
    Checkpoint best = Checkpoint.read(outcome.bestCheckpoint());
    ExportParity.Sample sample =
        ParitySample.of(List.of(dir.resolve("data/data.jsonl")), best, null, cache, 16);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      DualEncoder model = best.loadModel(manager);
      ParityReport parity =
          ExportParity.check(
              model,
              manager,
              OnnxExport.imageGraph(model).toByteArray(),
              OnnxExport.textGraph(model).toByteArray(),
              sample,
              3);
      assertTrue(parity.passes(), parity.toString());
      assertTrue(parity.imageReal() >= ParityReport.REQUIRED_COSINE, parity.toString());
      assertTrue(parity.imageRandom() >= ParityReport.REQUIRED_COSINE, parity.toString());
    }
  }

  @Test
  void theInputStandardisationComesFromTheTrainingFeatures() throws Exception {
    Checkpoint best = Checkpoint.read(outcome.bestCheckpoint());
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      DualEncoder model = best.loadModel(manager);
      float[] mean = model.imageHead().featureMean();
      float[] inverse = model.imageHead().featureInverseStd();
      boolean anyMean = false;
      for (int i = 0; i < mean.length; i++) {
        anyMean |= mean[i] != 0;
        assertTrue(inverse[i] > 0, "inverse std " + i);
      }
      assertTrue(anyMean, "the saved statistics are the data's, not the initial zeros");
    }
  }
}
