package io.mmsearch.encoders.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.image.PretrainedImageBackbones;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A format-3 bundle whose image side is the shipped MobileNetV2 backbone (class path) plus a head:
 * the image encoder runs the shared backbone session then the head, exactly on the features {@link
 * ImageFeatureExtractor} gives for the bundle.
 */
class ImageBackboneEncoderTest {
  private static final int D = TinyBundles.EMBEDDING;
  private static final int F = PretrainedImageBackbones.MOBILENET_V2_NSFWJS.dimension();
  private static final Path TWEMOJI = Path.of("..", "sample-data", "images", "twemoji");

  @TempDir static Path shared;
  @TempDir Path dir;

  private static float[] headWeights;
  private static DualEncoder encoders;

  static ModelBundle writeBundle(Path to, byte[] head) throws IOException {
    return TinyBundles.writer(11)
        .imageSpec(PretrainedImageBackbones.mobileNetV2Input(128))
        .imageBackbone(PretrainedImageBackbones.MOBILENET_V2_NSFWJS)
        .imageModel(head)
        .build()
        .write(to);
  }

  @BeforeAll
  static void open() throws IOException {
    headWeights = BackboneBundleTest.gaussian(new Random(5), D * F);
    writeBundle(shared.resolve("mobilenet"), BackboneBundleTest.head(F, D, headWeights));
    encoders =
        Encoders.open(
            EncoderCriteria.builder()
                .bundle(shared.resolve("mobilenet"))
                .intraOpThreads(1)
                .build());
  }

  @AfterAll
  static void close() {
    if (encoders != null) {
      encoders.close();
    }
  }

  private static byte[] emoji(String codepoint) throws IOException {
    return Files.readAllBytes(TWEMOJI.resolve(codepoint + ".png"));
  }

  @Test
  void theImageVectorIsTheHeadOnTheBundlesBackboneFeatures() throws IOException {
    ModelBundle bundle = ModelBundle.open(shared.resolve("mobilenet"));
    float[] features;
    try (ImageFeatureExtractor fx =
        ImageFeatureExtractor.open(bundle, ImageFeatureExtractorTest.ONE_THREAD)) {
      features = fx.features(emoji("2615"), "hot beverage");
    }
    float[] expected = new float[D];
    double norm = 0;
    for (int o = 0; o < D; o++) {
      double sum = 0;
      for (int i = 0; i < F; i++) {
        sum += (double) headWeights[o * F + i] * features[i];
      }
      expected[o] = (float) sum;
      norm += sum * sum;
    }
    for (int o = 0; o < D; o++) {
      expected[o] /= (float) Math.sqrt(norm);
    }
    assertArrayEquals(expected, encoders.image().encode(emoji("2615"), "hot beverage"), 1e-4f);
  }

  @Test
  void aBatchGivesEachImageItsOwnVectorAndFailsOnlyTheTooSmallOne() throws IOException {
    ByteArrayOutputStream tiny = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB), "png", tiny);
    List<EncodingResult> r =
        encoders
            .image()
            .encodeEach(
                List.of(emoji("1f600"), tiny.toByteArray(), emoji("1f697")),
                List.of("smile.png", "favicon.png", "car.png"));
    assertArrayEquals(encoders.image().encode(emoji("1f600"), "smile"), r.get(0).vector(), 1e-5f);
    assertFalse(r.get(1).ok());
    assertTrue(
        r.get(1).error().getMessage().startsWith("favicon.png: image is 20x20 px"),
        r.get(1).error().getMessage());
    assertArrayEquals(encoders.image().encode(emoji("1f697"), "car"), r.get(2).vector(), 1e-5f);
  }

  @Test
  void anAlteredBackboneBesideBundleJsonIsRefusedNamingFileHashAndSource() throws IOException {
    writeBundle(dir, BackboneBundleTest.head(F, D, headWeights));
    var spec = PretrainedImageBackbones.MOBILENET_V2_NSFWJS;
    byte[] bytes;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(spec.file())) {
      bytes = in.readAllBytes();
    }
    bytes[1000] ^= 1;
    Files.write(dir.resolve(spec.file()), bytes);
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.open(EncoderCriteria.builder().bundle(dir).intraOpThreads(1).build()));
    assertTrue(e.getMessage().contains(dir.resolve(spec.file()).toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains("expects nsfwjs-4.4.0/mobilenet_v2 with SHA-256 " + spec.sha256()),
        e.getMessage());
    assertTrue(e.getMessage().contains("npm pack nsfwjs@4.4.0"), e.getMessage());
  }

  @Test
  void aHeadWhoseInputDoesNotFitTheBackboneIsRefusedNamingImageOnnx() throws IOException {
    writeBundle(dir, BackboneBundleTest.head(100, D, new float[100 * D]));
    InvalidBundleException e =
        assertThrows(
            InvalidBundleException.class,
            () -> Encoders.open(EncoderCriteria.builder().bundle(dir).intraOpThreads(1).build()));
    assertTrue(e.getMessage().contains("image.onnx input features has size 100"), e.getMessage());
  }

  @Test
  void twoBundlesOnTheBackboneShareOneSession() throws IOException {
    writeBundle(dir, BackboneBundleTest.head(F, D, headWeights));
    int before = SharedBackbones.openSessions();
    try (DualEncoder second =
        Encoders.open(EncoderCriteria.builder().bundle(dir).intraOpThreads(1).build())) {
      assertEquals(before, SharedBackbones.openSessions());
      assertArrayEquals(
          encoders.image().encode(emoji("2615"), "cup"),
          second.image().encode(emoji("2615"), "cup"),
          0f);
    }
  }
}
