package io.mmsearch.encoders.ort;

import static io.mmsearch.encoders.ort.TextFeatureExtractorTest.ONE_THREAD;
import static io.mmsearch.encoders.ort.TextFeatureExtractorTest.cosine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.encoders.bundle.BundleWriter;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.text.BackboneSpec;
import io.mmsearch.encoders.text.ByteLevelBpe;
import io.mmsearch.encoders.text.Pooling;
import io.mmsearch.encoders.text.PretrainedBackbones;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.TokenGraphSpec;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format-2 bundles whose text side is tokenizer.json → frozen backbone → pooling → head: the real
 * all-MiniLM-L6-v2 from the class path (one session for the class), and a tiny token graph for the
 * failure cases.
 */
class BackboneBundleTest {
  private static final int D = 16;
  private static final int F = 384;

  @TempDir static Path shared;
  @TempDir Path dir;

  private static float[] headWeights;
  private static DualEncoder miniLm;

  @BeforeAll
  static void writeMiniLmBundle() throws IOException {
    headWeights = gaussian(new Random(3), D * F);
    BundleWriter.builder()
        .name("minilm-head")
        .dimension(D)
        .imageSpec(TinyBundles.imageSpec())
        .imageModel(TinyBundles.imageGraph(D, false, 1))
        .textSpec(TextFeatureExtractor.miniLmSpec(32))
        .tokenizerJson(PretrainedBackbones.miniLmTokenizerJson())
        .textModel(head(F, D, headWeights))
        .build()
        .write(shared.resolve("minilm"));
    miniLm =
        Encoders.open(
            EncoderCriteria.builder().bundle(shared.resolve("minilm")).intraOpThreads(1).build());
  }

  @AfterAll
  static void close() {
    if (miniLm != null) {
      miniLm.close();
    }
  }

  @Test
  void bundleJsonReferencesTheBackboneAndCarriesTheTokenizer() throws IOException {
    ModelBundle b = miniLm.bundle();
    assertEquals(2, b.formatVersion());
    assertEquals(PretrainedBackbones.MINILM_L6_V2, b.textSpec().backbone());
    assertTrue(Files.isRegularFile(b.directory().resolve("tokenizer.json")));
    assertFalse(
        Files.exists(b.directory().resolve(PretrainedBackbones.MINILM_ONNX)),
        "the backbone is referenced, not copied");
    assertTrue(b.backbone().where().startsWith("class path"), b.backbone().where());
    String json = Files.readString(b.directory().resolve("bundle.json"));
    assertTrue(json.contains("\"sha256\" : \"" + PretrainedBackbones.MINILM_L6_V2.sha256()), json);
    assertTrue(json.contains("\"pooling\" : \"mean\""), json);
  }

  @Test
  void textVectorIsTheHeadAppliedToTheBackboneFeatures() throws IOException {
    String text = "a cup of hot coffee";
    float[] served = miniLm.text().encode(text);
    float[] features;
    try (TextFeatureExtractor fx = TextFeatureExtractor.open(miniLm.bundle(), ONE_THREAD)) {
      features = fx.features(text);
    }
    float[] twoStep = new float[D];
    for (int d = 0; d < D; d++) {
      for (int k = 0; k < F; k++) {
        twoStep[d] += headWeights[d * F + k] * features[k];
      }
    }
    assertEquals(D, served.length);
    assertEquals(1.0, norm(served), 1e-5);
    assertTrue(cosine(served, twoStep) >= 0.9999, "cos " + cosine(served, twoStep));
  }

  @Test
  void aTextEncodedAloneAndInsideAPaddedBatchGivesTheSameVector() {
    List<String> texts =
        List.of("kitty", "laughing so hard I am crying at a joke my friend told yesterday", "tea");
    List<float[]> batch = miniLm.text().encodeBatch(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] alone = miniLm.text().encode(texts.get(i));
      assertTrue(cosine(alone, batch.get(i)) >= 0.9999, texts.get(i));
    }
  }

  @Test
  void aBadTextFailsAloneInABatch() {
    assertThrows(
        io.mmsearch.encoders.error.UnencodableInputException.class,
        () -> miniLm.text().encode("\t"));
    List<EncodingResult> r =
        miniLm.text().encodeEach(List.of("red heart", "", "a long ".repeat(3000)));
    assertTrue(r.get(0).ok());
    assertFalse(r.get(1).ok());
    assertTrue(r.get(1).error().getMessage().contains("text #1"), r.get(1).error().getMessage());
    assertTrue(
        r.get(1).error() instanceof io.mmsearch.encoders.error.UnencodableInputException,
        "the caller's input, not the model, is at fault: " + r.get(1).error());
    assertTrue(r.get(2).ok(), "a 21,000-character text is truncated, not refused");
  }

  @Test
  void aLongListRunsInChunksKeepingOrderAndErrorIndices() {
    List<String> texts = new java.util.ArrayList<>();
    for (int i = 0; i < 2 * TextFeatureExtractor.BATCH + 3; i++) {
      texts.add(i == 40 ? "\u0000" : "item number " + i);
    }
    List<EncodingResult> r = miniLm.text().encodeEach(texts);
    assertEquals(texts.size(), r.size());
    assertTrue(
        r.get(40).error().getMessage().startsWith("text #40"), r.get(40).error().getMessage());
    int last = texts.size() - 1;
    assertTrue(cosine(miniLm.text().encode(texts.get(last)), r.get(last).vector()) >= 0.9999);
  }

  @Test
  void concurrentCallsOnTheSharedSessionGiveTheSameVectors() throws Exception {
    List<String> texts = List.of("kitty", "a cup of hot coffee", "red heart", "rain");
    List<float[]> expected = miniLm.text().encodeBatch(texts);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Double>> worst = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        worst.add(
            pool.submit(
                () -> {
                  double min = 1;
                  for (int round = 0; round < 5; round++) {
                    for (int i = 0; i < texts.size(); i++) {
                      min =
                          Math.min(
                              min, cosine(expected.get(i), miniLm.text().encode(texts.get(i))));
                    }
                  }
                  return min;
                }));
      }
      for (var f : worst) {
        assertTrue(f.get() >= 0.9999, "cos " + f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void encodersOfTwoBundlesOnTheSameBackboneShareOneSession() throws IOException {
    int before = SharedBackbones.openSessions();
    try (TextEncoder again =
        Encoders.openText(
            EncoderCriteria.builder().bundle(shared.resolve("minilm")).intraOpThreads(1).build())) {
      assertEquals(before, SharedBackbones.openSessions());
      assertTrue(cosine(again.encode("tea"), miniLm.text().encode("tea")) >= 0.9999);
    }
  }

  @Test
  void missingBackboneIsRefusedAtOpenNamingFileHashAndSource() throws IOException {
    byte[] backbone = tinyBackbone(false);
    writeTinyBackboneBundle(dir, backbone, Pooling.MEAN);
    Files.delete(dir.resolve("tiny-backbone.onnx"));
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("tiny-backbone.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains(sha256(backbone)), e.getMessage());
    assertTrue(e.getMessage().contains("built by BackboneBundleTest"), e.getMessage());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void alteredBackboneOfTheSameSizeIsRefusedAtLoadNamingBothHashes() throws IOException {
    byte[] backbone = tinyBackbone(false);
    writeTinyBackboneBundle(dir, backbone, Pooling.MEAN);
    byte[] altered = backbone.clone();
    altered[altered.length - 5] ^= 0x55;
    Files.write(dir.resolve("tiny-backbone.onnx"), altered);
    ModelBundle opened = ModelBundle.open(dir); // same size: only hashing tells
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.openText(EncoderCriteria.builder().bundle(opened).build()));
    assertTrue(e.getMessage().contains("tiny-backbone.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains(sha256(backbone)), e.getMessage());
    assertTrue(e.getMessage().contains(sha256(altered)), e.getMessage());
    assertTrue(e.getMessage().contains("built by BackboneBundleTest"), e.getMessage());
  }

  @Test
  void truncatedBackboneIsRefusedAtOpen() throws IOException {
    byte[] backbone = tinyBackbone(false);
    writeTinyBackboneBundle(dir, backbone, Pooling.MEAN);
    Files.write(dir.resolve("tiny-backbone.onnx"), java.util.Arrays.copyOf(backbone, 100));
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("is 100 bytes long"), e.getMessage());
  }

  @Test
  void declaredPoolingThatDoesNotMatchTheOutputRankIsRefusedAtLoad() throws IOException {
    writeTinyBackboneBundle(dir, tinyBackbone(true), Pooling.MEAN);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.openText(EncoderCriteria.builder().bundle(dir).build()));
    assertTrue(e.getMessage().contains("pooling mean"), e.getMessage());
    assertTrue(e.getMessage().contains("has rank 2"), e.getMessage());
    assertTrue(e.getMessage().contains("tiny-backbone.onnx"), e.getMessage());
  }

  @Test
  void tinyBackboneBesideBundleJsonEncodesWithEveryPooling() throws IOException {
    for (Pooling p : List.of(Pooling.MEAN, Pooling.CLS, Pooling.EOS)) {
      Path d = dir.resolve(p.jsonName());
      writeTinyBackboneBundle(d, tinyBackbone(false), p);
      try (TextEncoder enc = Encoders.openText(EncoderCriteria.builder().bundle(d).build())) {
        float[] alone = enc.encode("red heart");
        float[] inBatch = enc.encodeBatch(List.of("a red cat heart red", "red heart")).get(1);
        assertTrue(cosine(alone, inBatch) >= 0.9999, p.toString());
      }
    }
  }

  // --- helpers

  private static final int TINY_H = 6;

  /** tokenizer.json (byte-level BPE) → tiny backbone beside bundle.json → head → D. */
  private static void writeTinyBackboneBundle(Path d, byte[] backbone, Pooling pooling)
      throws IOException {
    Files.createDirectories(d);
    Files.write(d.resolve("tiny-backbone.onnx"), backbone);
    BackboneSpec spec =
        new BackboneSpec(
            "test/tiny",
            "tiny-backbone.onnx",
            sha256(backbone),
            backbone.length,
            "built by BackboneBundleTest",
            new TokenGraphSpec("input_ids", "attention_mask", null, "last_hidden_state", pooling),
            TINY_H);
    BundleWriter.builder()
        .name("tiny-backbone")
        .dimension(D)
        .imageSpec(TinyBundles.imageSpec())
        .imageModel(TinyBundles.imageGraph(D, false, 1))
        .textSpec(TextInputSpec.withBackbone("tokenizer.json", 8, true, spec))
        .tokenizerJson(
            ByteLevelBpe.tokenizerJson().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .textModel(head(TINY_H, D, gaussian(new Random(5), D * TINY_H)))
        .build()
        .write(d);
  }

  /** Embedding lookup times the mask: [batch,seq,H]; pooledInside reduces it to [batch,H]. */
  private static byte[] tinyBackbone(boolean pooledInside) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("tiny_backbone");
    String ids = g.input("input_ids", ElementType.INT64, Dim.batch(), Dim.symbolic("seq"));
    String mask = g.input("attention_mask", ElementType.INT64, Dim.batch(), Dim.symbolic("seq"));
    String table =
        g.initializer(
            "table",
            gaussian(new Random(9), ByteLevelBpe.VOCABULARY_SIZE * TINY_H),
            ByteLevelBpe.VOCABULARY_SIZE,
            TINY_H);
    String hidden = g.gather(table, ids, 0);
    String m = g.unsqueeze(g.cast(mask, ElementType.FLOAT), 2);
    String masked = g.mul(hidden, m);
    if (pooledInside) {
      g.output(
          "last_hidden_state",
          g.reduceMean(masked, false, 1),
          ElementType.FLOAT,
          Dim.batch(),
          Dim.of(TINY_H));
    } else {
      g.output(
          "last_hidden_state",
          masked,
          ElementType.FLOAT,
          Dim.batch(),
          Dim.symbolic("seq"),
          Dim.of(TINY_H));
    }
    return g.build().toByteArray();
  }

  /** features [batch,in] → Gemm (no bias) → L2 → embedding [batch,out]. */
  static byte[] head(int in, int out, float[] weights) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("head");
    String x = g.input("features", ElementType.FLOAT, Dim.batch(), Dim.of(in));
    String w = g.initializer("w", weights, out, in);
    String b = g.initializer("b", new float[out], out);
    g.output(
        "embedding",
        g.l2Normalize(g.gemm(x, w, b, true), 1),
        ElementType.FLOAT,
        Dim.batch(),
        Dim.of(out));
    return g.build().toByteArray();
  }

  static float[] gaussian(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian() * 0.1f;
    }
    return v;
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
