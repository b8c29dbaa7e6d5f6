package io.mmsearch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.mmsearch.training.data.TextFeatureCache;
import io.mmsearch.training.export.ExportParity;
import io.mmsearch.training.export.OnnxExport;
import io.mmsearch.training.export.ParityReport;
import io.mmsearch.training.export.ParitySample;
import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.TrainingOutcome;
import io.mmsearch.training.model.DualEncoder;
import io.mmsearch.training.model.TextTowerKind;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A head on frozen text features, trained with the image tower on the synthetic shapes: it learns,
 * its checkpoint has no vocabulary, features come from the on-disk cache the second time, and its
 * exported head graph reproduces DJL in ONNX Runtime.
 */
class BackboneHeadTrainingTest {

  @TempDir static Path dir;
  static BagOfWordsFeatures backbone;
  static TextFeatureCache cache;
  static TrainingOutcome outcome;

  @BeforeAll
  static void train() throws Exception {
    Path manifest = SyntheticShapes.writeManifest(dir.resolve("data"), 3, 32, 3);
    backbone = new BagOfWordsFeatures(24);
    cache = TextFeatureCache.open(backbone, dir.resolve("cache"));
    outcome =
        new DualEncoderTrainer(
                TrainingTestSupport.smallConfig()
                    .textTower(TextTowerKind.BACKBONE_HEAD)
                    .epochs(8)
                    .build(),
                new PrintStream(OutputStream.nullOutputStream()),
                false,
                cache)
            .train(manifest, dir.resolve("out"), false);
  }

  @Test
  void headOnFrozenFeaturesLearnsFarAboveChance() {
    double chance = 1.0 / SyntheticShapes.conceptCount();
    double recall = outcome.best().recall().textToImageAt1();
    assertTrue(recall > 5 * chance, "t2i R@1 " + recall + " vs chance " + chance);
  }

  @Test
  void checkpointRecordsTheBackboneAndHasNoVocabulary() throws Exception {
    Checkpoint best = Checkpoint.read(outcome.bestCheckpoint());
    assertTrue(best.state().architecture().hasBackbone());
    assertEquals(backbone.backboneSha256(), best.state().architecture().textBackbone());
    assertEquals(24, best.state().architecture().textFeatureDim());
    assertEquals(null, best.vocabulary());
    assertFalse(Files.exists(outcome.bestCheckpoint().resolve("vocab.txt")));
  }

  @Test
  void eachDistinctCaptionRunsThroughTheBackboneOnceAcrossRuns() throws Exception {
    int distinct = 2 * SyntheticShapes.conceptCount(); // two captions per concept
    assertEquals(distinct, backbone.computed());
    BagOfWordsFeatures fresh = new BagOfWordsFeatures(24);
    TextFeatureCache reopened = TextFeatureCache.open(fresh, dir.resolve("cache"));
    assertEquals(distinct, reopened.size());
    reopened.featuresEach(java.util.List.of("a red circle on a white background", "new words"));
    assertEquals(1, fresh.computed(), "only the unseen text reaches the backbone");
  }

  @Test
  void exportedHeadGraphMatchesDjlOnRandomAndRealFeatures() throws Exception {
    Checkpoint best = Checkpoint.read(outcome.bestCheckpoint());
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      DualEncoder model = best.loadModel(manager);
      ParityReport parity =
          ExportParity.check(
              model,
              manager,
              OnnxExport.imageGraph(model).toByteArray(),
              OnnxExport.textGraph(model).toByteArray(),
              ParitySample.of(dir.resolve("data/data.jsonl"), best, cache, 16),
              1);
      assertTrue(parity.passes(), parity.toString());
    }
  }
}
