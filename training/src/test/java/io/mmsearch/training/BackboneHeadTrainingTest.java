package io.mmsearch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.training.data.BackboneFeatures;
import io.mmsearch.training.data.TextFeatureCache;
import io.mmsearch.training.data.TextFeatureSource;
import io.mmsearch.training.export.BundleExporter;
import io.mmsearch.training.export.ParityReport;
import io.mmsearch.training.export.ParitySample;
import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.TrainingOutcome;
import io.mmsearch.training.model.TextTowerKind;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A head on the real frozen all-MiniLM-L6-v2 features, trained with the image tower on the
 * synthetic shapes: it learns, its checkpoint has no vocabulary, features come from the on-disk
 * cache the second time, and the exported format-2 bundle serves the training model's vectors
 * through its whole text pipeline (tokenizer, backbone, pooling, head) in both engines.
 */
class BackboneHeadTrainingTest {

  @TempDir static Path dir;
  static final int MAX_TOKENS = 24;
  static BackboneFeatures backbone;
  static CountingFeatures counting;
  static TextFeatureCache cache;
  static TrainingOutcome outcome;
  static BundleExporter.Exported exported;

  @BeforeAll
  static void train() throws Exception {
    Path manifest = SyntheticShapes.writeManifest(dir.resolve("data"), 2, 32, 3);
    backbone = BackboneFeatures.miniLm(MAX_TOKENS);
    counting = new CountingFeatures(backbone);
    cache = TextFeatureCache.open(counting, dir.resolve("cache"));
    outcome =
        new DualEncoderTrainer(
                TrainingTestSupport.smallConfig()
                    .textTower(TextTowerKind.BACKBONE_HEAD)
                    .maxTokens(MAX_TOKENS)
                    .epochs(4)
                    .build(),
                new PrintStream(OutputStream.nullOutputStream()),
                false,
                cache,
                null)
            .train(manifest, dir.resolve("out"), false);
    Checkpoint best = Checkpoint.read(outcome.bestCheckpoint());
    exported =
        new BundleExporter("shapes-minilm", true, 1, backbone)
            .export(
                best,
                dir.resolve("bundle"),
                ParitySample.of(List.of(manifest), best, cache, null, 16));
  }

  @AfterAll
  static void close() {
    backbone.close();
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
    assertEquals(384, best.state().architecture().textFeatureDim());
    assertEquals(null, best.vocabulary());
    assertFalse(Files.exists(outcome.bestCheckpoint().resolve("vocab.txt")));
  }

  @Test
  void eachDistinctCaptionRunsThroughTheBackboneOnceAcrossRuns() throws Exception {
    int distinct = 2 * SyntheticShapes.conceptCount(); // two captions per concept
    assertEquals(distinct, counting.computed());
    CountingFeatures fresh = new CountingFeatures(backbone);
    TextFeatureCache reopened = TextFeatureCache.open(fresh, dir.resolve("cache"));
    assertEquals(distinct, reopened.size());
    reopened.featuresEach(List.of("a red circle on a white background", "new words"));
    assertEquals(1, fresh.computed(), "only the unseen text reaches the backbone");
  }

  @Test
  void exportedHeadAndTheWholeServingPipelineMatchTheTrainingComputation() {
    ParityReport parity = exported.parity();
    System.out.println(parity);
    assertTrue(parity.passes(), parity.toString());
    assertTrue(parity.textPipeline() >= ParityReport.REQUIRED_COSINE, parity.toString());
  }

  @Test
  void bundleIsFormatTwoReferencingTheBackboneWithoutCopyingIt() throws Exception {
    ModelBundle bundle = ModelBundle.open(dir.resolve("bundle"));
    assertEquals(backbone.backboneSha256(), bundle.textSpec().backbone().sha256());
    assertEquals(MAX_TOKENS, bundle.textSpec().maxTokens());
    try (var files = Files.list(dir.resolve("bundle"))) {
      assertTrue(files.allMatch(f -> !f.getFileName().toString().endsWith("minilm-l6-v2.onnx")));
    }
  }

  @Test
  void aTextAloneAndInsideABatchGetsTheSameVectorFromTheBundle() throws Exception {
    List<String> texts = List.of("blue square", "a yellow triangle on a black background", "red");
    try (io.mmsearch.encoders.DualEncoder served =
        Encoders.open(EncoderCriteria.builder().bundle(dir.resolve("bundle")).build())) {
      List<float[]> batch = served.text().encodeBatch(texts);
      for (int i = 0; i < texts.size(); i++) {
        double cos = ExportAndServeTest.cosine(served.text().encode(texts.get(i)), batch.get(i));
        assertTrue(cos >= 0.9999, texts.get(i) + ": " + cos);
      }
    }
  }

  @Test
  void onnxRuntimeAndPyTorchEnginesServeTheSameTextVectors() throws Exception {
    List<String> texts = List.of("a green square on a gray background", "yellow circle");
    try (io.mmsearch.encoders.DualEncoder ort =
            Encoders.open(EncoderCriteria.builder().bundle(dir.resolve("bundle")).build());
        io.mmsearch.encoders.DualEncoder torch =
            Encoders.open(
                EncoderCriteria.builder()
                    .bundle(dir.resolve("bundle"))
                    .engine("pytorch")
                    .build())) {
      List<float[]> a = ort.text().encodeBatch(texts);
      List<float[]> b = torch.text().encodeBatch(texts);
      for (int i = 0; i < texts.size(); i++) {
        double cos = ExportAndServeTest.cosine(a.get(i), b.get(i));
        assertTrue(cos >= 0.9999, texts.get(i) + ": " + cos);
      }
    }
  }

  /** Counts the texts that reach the backbone. */
  static final class CountingFeatures implements TextFeatureSource {
    private final TextFeatureSource inner;
    private int computed;

    CountingFeatures(TextFeatureSource inner) {
      this.inner = inner;
    }

    int computed() {
      return computed;
    }

    @Override
    public String cacheKey() {
      return inner.cacheKey();
    }

    @Override
    public String backboneSha256() {
      return inner.backboneSha256();
    }

    @Override
    public int dimension() {
      return inner.dimension();
    }

    @Override
    public List<EncodingResult> featuresEach(List<String> texts) {
      computed += texts.size();
      return inner.featuresEach(texts);
    }
  }
}
