package io.mmsearch.encoders.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.encoders.image.PretrainedImageBackbones;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped image backbone (nsfwjs's MobileNetV2, converted and pinned by the build) from the
 * class path, on the sample's real emoji images; one session for the whole class.
 */
class ImageFeatureExtractorTest {
  static final EngineOptions ONE_THREAD = TextFeatureExtractorTest.ONE_THREAD;
  private static final Path TWEMOJI = Path.of("..", "sample-data", "images", "twemoji");

  private static ImageFeatureExtractor mobileNet;

  @TempDir Path dir;

  @BeforeAll
  static void open() throws IOException {
    mobileNet = ImageFeatureExtractor.mobileNetV2(128, ONE_THREAD);
  }

  @AfterAll
  static void close() {
    mobileNet.close();
  }

  private static byte[] emoji(String codepoint) throws IOException {
    return Files.readAllBytes(TWEMOJI.resolve(codepoint + ".png"));
  }

  @Test
  void theBuildPutTheDeclaredBackboneOnTheClassPath() throws IOException {
    Properties built = new Properties();
    try (InputStream in =
        ImageFeatureExtractorTest.class
            .getClassLoader()
            .getResourceAsStream(PretrainedImageBackbones.DESCRIPTOR)) {
      built.load(in);
    }
    var spec = PretrainedImageBackbones.MOBILENET_V2_NSFWJS;
    assertEquals(spec.name(), built.getProperty("name"));
    assertEquals(spec.file(), built.getProperty("file"));
    assertEquals(spec.sha256(), built.getProperty("sha256"));
    assertEquals(Long.toString(spec.size()), built.getProperty("size"));
    assertEquals(Integer.toString(spec.dimension()), built.getProperty("dimension"));
    assertEquals(Integer.toString(spec.minSize()), built.getProperty("min_size"));
  }

  @Test
  void featuresAre5568PooledReluSixActivations() throws IOException {
    float[] f = mobileNet.features(emoji("1f600"), "grinning face");
    assertEquals(5568, f.length);
    assertEquals(5568, mobileNet.dimension());
    int nonZero = 0;
    for (float x : f) {
      assertTrue(x >= 0 && x <= 6, "ReLU6 activations lie in [0, 6]: " + x);
      nonZero += x > 0 ? 1 : 0;
    }
    assertTrue(nonZero > 1000, "a drawing activates many channels: " + nonZero);
  }

  @Test
  void theSameConceptInTwoStylesIsCloserThanTwoConcepts() throws IOException {
    Path noto = Path.of("..", "sample-data", "images", "noto");
    float[] smileTwemoji = mobileNet.features(emoji("1f600"), "twemoji smile");
    float[] smileNoto = mobileNet.features(Files.readAllBytes(noto.resolve("1f600.png")), "noto");
    float[] car = mobileNet.features(emoji("1f697"), "twemoji car");
    assertTrue(
        cosine(smileTwemoji, smileNoto) > cosine(smileTwemoji, car),
        "pretrained features place both grinning faces nearer each other than a car");
  }

  @Test
  void anImageAloneAndInsideABatchGivesTheSameFeatures() throws IOException {
    List<String> names = List.of("1f600", "1f697", "2615");
    List<byte[]> files = List.of(emoji("1f600"), emoji("1f697"), emoji("2615"));
    List<EncodingResult> batch = mobileNet.featuresEach(files, names);
    for (int i = 0; i < names.size(); i++) {
      assertArrayEquals(
          mobileNet.features(files.get(i), names.get(i)), batch.get(i).vector(), 1e-4f);
    }
  }

  @Test
  void anImageSmallerThanTheBackboneMinimumFailsOnlyItsSlotNamingTheFile() throws IOException {
    byte[] tiny = png(new BufferedImage(16, 40, BufferedImage.TYPE_INT_RGB));
    List<EncodingResult> r =
        mobileNet.featuresEach(List.of(emoji("1f600"), tiny), List.of("smile.png", "tiny.png"));
    assertTrue(r.get(0).ok());
    ImageDecodingException e = assertInstanceOf(ImageDecodingException.class, r.get(1).error());
    assertEquals("tiny.png", e.itemName());
    assertTrue(e.reason().contains("16x40 px, smaller than the 32 px a side"), e.reason());
    assertTrue(e.reason().contains("nsfwjs-4.4.0/mobilenet_v2"), e.reason());
  }

  @Test
  void anImageAtTheMinimumIsUpscaledToTheInputSize() throws IOException {
    float[] f =
        mobileNet.features(png(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB)), "32");
    assertEquals(5568, f.length);
  }

  @Test
  void anAlteredBackboneIsRefusedNamingTheFileTheHashAndWhereToGetIt() throws IOException {
    var spec = PretrainedImageBackbones.MOBILENET_V2_NSFWJS;
    byte[] bytes;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(spec.file())) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length - 100] ^= 1;
    Files.write(dir.resolve(spec.file()), bytes);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () ->
                ImageFeatureExtractor.open(
                    spec, PretrainedImageBackbones.mobileNetV2Input(128), dir, ONE_THREAD));
    assertTrue(e.getMessage().contains(dir.resolve(spec.file()).toString()), e.getMessage());
    assertTrue(e.getMessage().contains("SHA-256 " + spec.sha256()), e.getMessage());
    assertTrue(e.getMessage().contains("npm pack nsfwjs@4.4.0"), e.getMessage());
  }

  @Test
  void aBundleImageSizeBelowTheBackboneMinimumIsRefused() {
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class, () -> ImageFeatureExtractor.mobileNetV2(24, ONE_THREAD));
    assertTrue(e.getMessage().contains("image.size 24 is below the 32 px"), e.getMessage());
  }

  @Test
  void extractorsOfOneBackboneShareOneSession() throws IOException {
    int before = SharedBackbones.openSessions();
    try (ImageFeatureExtractor second = ImageFeatureExtractor.mobileNetV2(128, ONE_THREAD)) {
      assertEquals(before, SharedBackbones.openSessions());
      assertFalse(second == mobileNet);
    }
    assertEquals(before, SharedBackbones.openSessions(), "the first one still holds it");
  }

  @Test
  void anUnpinnedGraphRunsThroughOfGraph() throws IOException {
    var spec = PretrainedImageBackbones.MOBILENET_V2_NSFWJS;
    Path copy = dir.resolve("candidates.onnx");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(spec.file())) {
      Files.write(copy, in.readAllBytes());
    }
    try (ImageFeatureExtractor fx =
        ImageFeatureExtractor.ofGraph(
            copy, PretrainedImageBackbones.mobileNetV2Input(128), 32, ONE_THREAD)) {
      assertEquals(5568, fx.dimension());
      assertEquals(spec.sha256(), fx.backbone().sha256());
      assertArrayEquals(
          mobileNet.features(emoji("2615"), "cup"), fx.features(emoji("2615"), "cup"), 0f);
    }
  }

  private static double cosine(float[] a, float[] b) {
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

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
