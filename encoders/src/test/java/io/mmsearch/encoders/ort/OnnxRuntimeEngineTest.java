package io.mmsearch.encoders.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.OptimizationLevel;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.OnnxGraphBuilder;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: a tiny real bundle written with OnnxGraphBuilder, opened through Encoders. */
class OnnxRuntimeEngineTest {
  private static final float UNIT = 1e-5f;

  @TempDir Path dir;

  private DualEncoder open() throws IOException {
    TinyBundles.write(dir, 11);
    return Encoders.open(
        EncoderCriteria.builder()
            .bundle(dir)
            .intraOpThreads(1)
            .optimizationLevel(OptimizationLevel.ALL)
            .build());
  }

  @Test
  void onnxRuntimeIsTheDefaultEngineFoundThroughServiceLoader() {
    assertEquals("onnxruntime", EncoderCriteria.builder().bundle(dir).build().engine());
    assertTrue(Encoders.engineNames().contains("onnxruntime"), Encoders.engineNames().toString());
    assertTrue(Encoders.engine("onnxruntime") instanceof OnnxRuntimeEngine);
  }

  @Test
  void unknownEngineIsRefusedListingTheAvailableOnes() throws IOException {
    TinyBundles.write(dir, 11);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Encoders.open(EncoderCriteria.builder().bundle(dir).engine("tensorflow").build()));
    assertTrue(e.getMessage().contains("tensorflow"), e.getMessage());
    assertTrue(e.getMessage().contains("onnxruntime"), e.getMessage());
  }

  @Test
  void imagesAndTextsEncodeToUnitVectorsOfTheBundleDimension() throws IOException {
    try (DualEncoder enc = open()) {
      assertEquals(TinyBundles.EMBEDDING, enc.dimension());
      assertEquals(TinyBundles.EMBEDDING, enc.image().dimension());
      assertEquals(TinyBundles.EMBEDDING, enc.text().dimension());
      assertUnit(enc.image().encode(png(Color.RED, Color.BLUE, 40, 24), "red-blue.png"));
      assertUnit(enc.text().encode("a smiling red face"));
    }
  }

  @Test
  void differentInputsGiveDifferentVectorsAndIdenticalInputsIdenticalOnes() throws IOException {
    try (DualEncoder enc = open()) {
      byte[] red = png(Color.RED, Color.RED, 16, 16);
      assertArrayEquals(enc.image().encode(red), enc.image().encode(red.clone()));
      assertFalse(
          java.util.Arrays.equals(
              enc.image().encode(red), enc.image().encode(png(Color.GREEN, Color.GREEN, 16, 16))));
      assertArrayEquals(enc.text().encode("red heart"), enc.text().encode("RED   heart!"));
      assertFalse(
          java.util.Arrays.equals(enc.text().encode("red heart"), enc.text().encode("blue car")));
    }
  }

  @Test
  void imageBatchEqualsSingleCalls() throws IOException {
    try (DualEncoder enc = open()) {
      List<byte[]> images = images(9);
      List<float[]> batch = enc.image().encodeBatch(images);
      assertEquals(images.size(), batch.size());
      for (int i = 0; i < images.size(); i++) {
        assertArrayEquals(enc.image().encode(images.get(i)), batch.get(i), UNIT);
      }
    }
  }

  @Test
  void textBatchEqualsSingleCalls() throws IOException {
    try (DualEncoder enc = open()) {
      List<String> texts = texts();
      List<float[]> batch = enc.text().encodeBatch(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(enc.text().encode(texts.get(i)), batch.get(i), UNIT);
      }
    }
  }

  @Test
  void aBadImageInABatchFailsAloneNamingTheItem() throws IOException {
    try (DualEncoder enc = open()) {
      byte[] good = png(Color.ORANGE, Color.CYAN, 20, 20);
      List<EncodingResult> results =
          enc.image()
              .encodeEach(
                  List.of(good, "not an image".getBytes(), good),
                  List.of("a.png", "notes.jpg", "c.png"));
      assertTrue(results.get(0).ok());
      assertFalse(results.get(1).ok());
      assertNull(results.get(1).vector());
      assertTrue(
          results.get(1).error().getMessage().contains("notes.jpg"),
          results.get(1).error().getMessage());
      assertArrayEquals(results.get(0).vector(), results.get(2).vector(), UNIT);
      EncodingException e =
          assertThrows(
              EncodingException.class, () -> enc.image().encodeBatch(List.of(good, new byte[0])));
      assertTrue(e.getMessage().contains("image #1"), e.getMessage());
    }
  }

  @Test
  void aTextWithoutWordsInABatchFailsAloneNamingItsIndex() throws IOException {
    try (DualEncoder enc = open()) {
      List<EncodingResult> results = enc.text().encodeEach(List.of("red car", " \t ", "blue"));
      assertTrue(results.get(0).ok());
      assertTrue(results.get(2).ok());
      assertTrue(
          results.get(1).error().getMessage().startsWith("text #1: "),
          results.get(1).error().getMessage());
      assertArrayEquals(enc.text().encode("blue"), results.get(2).vector(), UNIT);
    }
  }

  @Test
  void emptyTextIsRefusedWithAClearMessage() throws IOException {
    try (DualEncoder enc = open()) {
      EncodingException e = assertThrows(EncodingException.class, () -> enc.text().encode(""));
      assertTrue(e.getMessage().contains("no words"), e.getMessage());
    }
  }

  @Test
  void longTextsAndControlCharactersEncode() throws IOException {
    try (DualEncoder enc = open()) {
      String longText = "smiling face ".repeat(800).substring(0, 10_000);
      assertUnit(enc.text().encode(longText));
      // only the first MAX_TOKENS words count
      assertArrayEquals(
          enc.text().encode("smiling face smiling face smiling face"),
          enc.text().encode(longText),
          UNIT);
      assertArrayEquals(
          enc.text().encode("red heart"), enc.text().encode("red\u0000\u0007heart\u200B"), UNIT);
    }
  }

  @Test
  void encodersAreSafeToShareAcrossThreads() throws Exception {
    try (DualEncoder enc = open()) {
      List<byte[]> images = images(6);
      List<String> texts = texts();
      List<float[]> expectedImages = enc.image().encodeBatch(images);
      List<float[]> expectedTexts = enc.text().encodeBatch(texts);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int offset = t;
          futures.add(
              pool.submit(
                  () -> {
                    for (int round = 0; round < 20; round++) {
                      int i = (offset + round) % images.size();
                      assertArrayEquals(
                          expectedImages.get(i), enc.image().encode(images.get(i)), UNIT);
                      int j = (offset + round) % texts.size();
                      assertArrayEquals(
                          expectedTexts.get(j), enc.text().encode(texts.get(j)), UNIT);
                      if (round % 5 == 0) {
                        List<float[]> batch = enc.text().encodeBatch(texts);
                        assertArrayEquals(expectedTexts.get(0), batch.get(0), UNIT);
                      }
                    }
                  }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void everyOptimizationLevelComputesTheSameVectors() throws IOException {
    TinyBundles.write(dir, 11);
    ModelBundle bundle = ModelBundle.open(dir);
    float[] reference = null;
    for (OptimizationLevel level : OptimizationLevel.values()) {
      try (var text =
          Encoders.openText(
              EncoderCriteria.builder().bundle(bundle).optimizationLevel(level).build())) {
        float[] v = text.encode("green apple");
        if (reference == null) {
          reference = v;
        } else {
          assertArrayEquals(reference, v, UNIT, level.name());
        }
      }
    }
  }

  @Test
  void sessionConfigurationEntriesPassThroughAsProperties() throws IOException {
    TinyBundles.write(dir, 11);
    try (var text =
        Encoders.openText(
            EncoderCriteria.builder()
                .bundle(dir)
                .property("ort.config.session.intra_op.allow_spinning", "0")
                .property("ort.inter_op_threads", "1")
                .build())) {
      assertUnit(text.encode("red heart"));
    }
  }

  @Test
  void malformedIntegerPropertyIsRefusedNamingIt() throws IOException {
    TinyBundles.write(dir, 11);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Encoders.openImage(
                    EncoderCriteria.builder()
                        .bundle(dir)
                        .property(OnnxRuntimeEngine.MAX_PIXELS, "lots")
                        .build()));
    assertTrue(e.getMessage().contains("image.max_pixels"), e.getMessage());
  }

  @Test
  void corruptOnnxFileIsRefusedNamingTheFile() throws IOException {
    ModelBundle good = TinyBundles.write(dir, 11);
    byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(good.imageModelFile()), 100);
    TinyBundles.writer(11).imageModel(truncated).build().write(dir);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.openImage(EncoderCriteria.builder().bundle(dir).build()));
    assertTrue(e.getMessage().contains("image.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("not a loadable ONNX model"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
  }

  @Test
  void declaredDimensionDifferentFromTheGraphOutputIsRefusedNamingBoth() throws IOException {
    TinyBundles.writer(11).dimension(12).build().write(dir);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.open(EncoderCriteria.builder().bundle(dir).build()));
    assertTrue(e.getMessage().contains("declares dimension 12"), e.getMessage());
    assertTrue(e.getMessage().contains("outputs " + TinyBundles.EMBEDDING), e.getMessage());
  }

  @Test
  void symbolicOutputDimensionIsCheckedByAProbeRun() throws IOException {
    TinyBundles.writer(11)
        .dimension(12)
        .textModel(TinyBundles.textGraph(10, TinyBundles.EMBEDDING, true, 3))
        .build()
        .write(dir);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.openText(EncoderCriteria.builder().bundle(dir).build()));
    assertTrue(e.getMessage().contains("text.onnx"), e.getMessage());
    assertTrue(e.getMessage().contains("declares dimension 12"), e.getMessage());

    TinyBundles.writer(11)
        .textModel(TinyBundles.textGraph(10, TinyBundles.EMBEDDING, true, 3))
        .build()
        .write(dir);
    try (var text = Encoders.openText(EncoderCriteria.builder().bundle(dir).build())) {
      assertUnit(text.encode("red"));
    }
  }

  @Test
  void graphWithoutTheContractInputNamesIsRefusedNamingThem() throws IOException {
    OnnxGraphBuilder g = new OnnxGraphBuilder("wrong_input");
    String x = g.input("image", ElementType.FLOAT, Dim.batch(), Dim.of(3), Dim.of(16), Dim.of(16));
    g.output(
        "embedding",
        g.l2Normalize(g.flatten(g.globalAveragePool(x), 1), 1),
        ElementType.FLOAT,
        Dim.batch(),
        Dim.of(3));
    TinyBundles.writer(11).imageModel(g.build().toByteArray()).build().write(dir);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.openImage(EncoderCriteria.builder().bundle(dir).build()));
    assertTrue(e.getMessage().contains("image.onnx has inputs [image"), e.getMessage());
    assertTrue(e.getMessage().contains("pixels float32 [batch,3,16,16]"), e.getMessage());
  }

  @Test
  void graphWhoseImageSizeDiffersFromTheDeclaredSizeIsRefused() throws IOException {
    TinyBundles.writer(11)
        .imageSpec(
            new io.mmsearch.encoders.image.ImageInputSpec(
                32,
                3,
                new float[] {0, 0, 0},
                new float[] {1, 1, 1},
                io.mmsearch.encoders.image.ImageInputSpec.ResizePolicy.STRETCH,
                0))
        .build()
        .write(dir);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.openImage(EncoderCriteria.builder().bundle(dir).build()));
    assertTrue(
        e.getMessage().contains("size 16 at axis 2 where the bundle declares 32"), e.getMessage());
  }

  @Test
  void extraGraphOutputsAreAllowedAndOnlyTheEmbeddingIsUsed() throws IOException {
    OnnxGraphBuilder g = new OnnxGraphBuilder("extra_output");
    String x = g.input("pixels", ElementType.FLOAT, Dim.batch(), Dim.of(3), Dim.of(16), Dim.of(16));
    String w = g.initializer("w", new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
    String pooled = g.flatten(g.globalAveragePool(x), 1);
    g.output("features", pooled, ElementType.FLOAT, Dim.batch(), Dim.of(3));
    g.output(
        "embedding",
        g.l2Normalize(g.gemm(pooled, w, null, true), 1),
        ElementType.FLOAT,
        Dim.batch(),
        Dim.of(3));
    TinyBundles.writer(11).dimension(3).imageModel(g.build().toByteArray()).build().write(dir);
    try (var image = Encoders.openImage(EncoderCriteria.builder().bundle(dir).build())) {
      float[] v = image.encode(png(Color.RED, Color.RED, 16, 16));
      assertEquals(3, v.length);
      // identity projection of the mean colour: red dominates after normalisation
      assertTrue(v[0] > v[1] && v[0] > v[2], java.util.Arrays.toString(v));
    }
  }

  @Test
  void graphWithAFixedBatchSizeIsRefused() throws IOException {
    OnnxGraphBuilder g = new OnnxGraphBuilder("fixed_batch");
    String x = g.input("pixels", ElementType.FLOAT, Dim.of(1), Dim.of(3), Dim.of(16), Dim.of(16));
    String w = g.initializer("w", new float[3 * TinyBundles.EMBEDDING], TinyBundles.EMBEDDING, 3);
    g.output(
        "embedding",
        g.gemm(g.flatten(g.globalAveragePool(x), 1), w, null, true),
        ElementType.FLOAT,
        Dim.of(1),
        Dim.of(TinyBundles.EMBEDDING));
    TinyBundles.writer(11).imageModel(g.build().toByteArray()).build().write(dir);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.openImage(EncoderCriteria.builder().bundle(dir).build()));
    assertTrue(e.getMessage().contains("fixes the batch dimension at 1"), e.getMessage());
  }

  private static void assertUnit(float[] v) {
    assertEquals(TinyBundles.EMBEDDING, v.length);
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    assertEquals(1.0, Math.sqrt(sum), 1e-5);
  }

  private static List<String> texts() {
    return List.of(
        "red heart", "green apple", "blue car", "smiling face", "unknown words only", "red");
  }

  private static List<byte[]> images(int n) {
    Color[] colors = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA, Color.WHITE};
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          png(
              colors[i % colors.length],
              colors[(i * 2 + 1) % colors.length],
              16 + 8 * i,
              16 + 4 * (i % 3)));
    }
    return out;
  }

  private static byte[] png(Color from, Color to, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, from, width, height, to));
    g.fillRect(0, 0, width, height);
    g.dispose();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
