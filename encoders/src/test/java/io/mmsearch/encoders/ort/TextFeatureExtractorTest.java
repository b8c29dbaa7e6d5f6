package io.mmsearch.encoders.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.OptimizationLevel;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.text.BackboneSpec;
import io.mmsearch.encoders.text.PretrainedBackbones;
import io.mmsearch.encoders.text.TextInputSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real all-MiniLM-L6-v2 from the class path; one session for the whole class. */
class TextFeatureExtractorTest {
  static final EngineOptions ONE_THREAD = new EngineOptions(1, OptimizationLevel.ALL, Map.of());

  private static TextFeatureExtractor miniLm;

  @TempDir Path dir;

  @BeforeAll
  static void open() throws IOException {
    miniLm = TextFeatureExtractor.miniLm(64, ONE_THREAD);
  }

  @AfterAll
  static void close() {
    miniLm.close();
  }

  @Test
  void featuresAre384WideMeanPooledHiddenStates() {
    float[] f = miniLm.features("a cup of hot coffee");
    assertEquals(384, f.length);
    assertEquals(384, miniLm.dimension());
    assertEquals(PretrainedBackbones.MINILM_L6_V2, miniLm.backbone());
    double norm = 0;
    for (float x : f) {
      assertTrue(Float.isFinite(x));
      norm += x * x;
    }
    assertTrue(norm > 0.01, "mean pooling is not normalised, but not zero either: " + norm);
  }

  @Test
  void aTextAloneAndInsideAPaddedBatchGivesTheSameFeatures() {
    String shortText = "kitty";
    List<String> batch =
        List.of(
            "laughing so hard I am crying while reading a very long sentence about nothing",
            shortText,
            "a cup of hot coffee");
    float[] alone = miniLm.features(shortText);
    float[][] together = miniLm.features(batch);
    assertTrue(cosine(alone, together[1]) >= 0.9999, "cos " + cosine(alone, together[1]));
    assertTrue(
        cosine(miniLm.features(batch.get(0)), together[0]) >= 0.9999,
        "the longest row too (no padding either way)");
  }

  @Test
  void similarMeaningsAreCloserThanUnrelatedOnes() {
    float[][] f = miniLm.features(List.of("kitty", "a small cat", "a red sports car"));
    assertTrue(
        cosine(f[0], f[1]) > cosine(f[0], f[2]) + 0.1,
        "kitty~cat " + cosine(f[0], f[1]) + " vs kitty~car " + cosine(f[0], f[2]));
  }

  @Test
  void aTextWithNoTokensFailsAloneNamingItsIndex() {
    List<EncodingResult> r = miniLm.featuresEach(List.of("red heart", " \t ", "blue car"));
    assertTrue(r.get(0).ok());
    assertFalse(r.get(1).ok());
    assertTrue(r.get(1).error().getMessage().startsWith("text #1"), r.get(1).error().getMessage());
    assertTrue(r.get(2).ok());
    assertThrows(EncodingException.class, () -> miniLm.features(List.of("ok", "")));
  }

  @Test
  void featuresEachRunsInChunksAndKeepsOrder() {
    List<String> texts = new java.util.ArrayList<>();
    for (int i = 0; i < TextFeatureExtractor.BATCH + 3; i++) {
      texts.add("item number " + i);
    }
    List<EncodingResult> r = miniLm.featuresEach(texts);
    assertEquals(texts.size(), r.size());
    float[] last = miniLm.features(texts.get(texts.size() - 1));
    assertTrue(cosine(last, r.get(r.size() - 1).vector()) >= 0.9999);
  }

  @Test
  void extractorsOfTheSameBackboneShareOneSession() throws IOException {
    int before = SharedBackbones.openSessions();
    try (TextFeatureExtractor second = TextFeatureExtractor.miniLm(64, ONE_THREAD)) {
      assertEquals(before, SharedBackbones.openSessions());
      assertNotNull(second.features("shared"));
    }
    assertEquals(before, SharedBackbones.openSessions(), "the first one still holds it");
  }

  @Test
  void aMissingBackboneNamesTheFileItsHashAndWhereToGetIt() {
    BackboneSpec missing =
        new BackboneSpec(
            "example/missing-model",
            "missing-model.onnx",
            "ab".repeat(32),
            1234,
            "Maven artifact org.example:missing:1.0",
            PretrainedBackbones.MINILM_L6_V2.graph(),
            384);
    TextInputSpec spec = TextInputSpec.withBackbone("tokenizer.json", 16, false, missing);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () ->
                TextFeatureExtractor.open(
                    spec, PretrainedBackbones.miniLmTokenizerJson(), dir, ONE_THREAD));
    assertTrue(e.getMessage().contains("missing-model.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("ab".repeat(32)), e.getMessage());
    assertTrue(e.getMessage().contains("org.example:missing:1.0"), e.getMessage());
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
