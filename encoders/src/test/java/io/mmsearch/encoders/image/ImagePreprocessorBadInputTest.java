package io.mmsearch.encoders.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.error.EncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each kind of bad file is refused with an error that names the item and says why. */
class ImagePreprocessorBadInputTest {
  private final ImagePreprocessor preprocessor = new ImagePreprocessor(ImageInputSpec.defaults());

  @Test
  void emptyFileIsRefused() {
    ImageDecodingException e = refused(new byte[0], "blank.png");

    assertEquals("empty file", e.reason());
    assertEquals("blank.png: empty file", e.getMessage());
  }

  @Test
  void truncatedPngIsRefused() {
    byte[] png = TestImages.encode(TestImages.noise(64, 64, 1), "png");

    ImageDecodingException e = refused(Arrays.copyOf(png, png.length / 2), "cut.png");

    assertTrue(e.reason().startsWith("truncated PNG"), e.getMessage());
  }

  @Test
  void truncatedJpegIsRefusedRatherThanPaddedWithGrey() {
    byte[] jpeg = TestImages.encode(TestImages.noise(64, 64, 2), "jpeg");

    ImageDecodingException e = refused(Arrays.copyOf(jpeg, jpeg.length / 2), "cut.jpg");

    assertTrue(e.reason().startsWith("truncated JPEG"), e.getMessage());
  }

  @Test
  void textFileNamedJpgIsReportedAsText() {
    byte[] text = "id,caption\n1,a red apple\n".getBytes(StandardCharsets.UTF_8);

    ImageDecodingException e = refused(text, "notes.jpg");

    assertTrue(e.reason().startsWith("not an image (detected text"), e.getMessage());
    assertTrue(e.getMessage().startsWith("notes.jpg: "), e.getMessage());
  }

  @Test
  void imageFormatWithoutReaderIsReportedAsUnsupported() {
    // A Photoshop header: an image format, but no reader for it is installed.
    byte[] psd = new byte[64];
    System.arraycopy("8BPS".getBytes(StandardCharsets.US_ASCII), 0, psd, 0, 4);
    psd[5] = 1; // version 1

    ImageDecodingException e = refused(psd, "layers.psd");

    assertTrue(e.reason().startsWith("unsupported format (detected image/"), e.getMessage());
  }

  @Test
  void binaryGarbageIsReportedAsUnsupported() {
    byte[] garbage = new byte[256];
    new java.util.Random(3).nextBytes(garbage);
    garbage[0] = 0; // keep it from looking like text or any magic number

    ImageDecodingException e = refused(garbage, "blob.bin");

    assertTrue(e.reason().startsWith("unsupported format"), e.getMessage());
  }

  @Test
  void imageOverTheSubsampledDecodeBudgetIsRefusedFromItsHeaderAlone() {
    // 40000 x 40000 declared, but only a few bytes of pixel data: decoding a row would fail with
    // "truncated", so the budget message proves the header was checked first.
    byte[] bomb = TestImages.pngHeaderOnly(40000, 40000);

    ImageDecodingException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> refused(bomb, "bomb.png"), "must not decode the pixels");

    assertEquals(
        "40000x40000 = 1600000000 pixels exceeds the budget of 640000000 for a subsampled decode",
        e.reason());
  }

  @Test
  void subsampledDecodeBudgetIsConfigurable() {
    byte[] png = TestImages.encode(TestImages.noise(100, 50, 4), "png");
    ImagePreprocessor strict = preprocessor.withMaxPixels(1000).withMaxSourcePixels(4999);

    ImageDecodingException e =
        assertThrows(ImageDecodingException.class, () -> strict.decode(png, "small.png"));

    assertEquals(
        "100x50 = 5000 pixels exceeds the budget of 4999 for a subsampled decode", e.reason());
    assertThrows(IllegalArgumentException.class, () -> strict.withMaxSourcePixels(999));
  }

  @Test
  void headerOfAnOversizedImageCanStillBeRead() {
    ImageHeader header =
        preprocessor.readHeader(TestImages.pngHeaderOnly(20000, 30000), "bomb.png");

    assertEquals(new ImageHeader("PNG", "image/png", 20000, 30000), header);
  }

  @Test
  void decodingErrorsAreEncodingExceptions() {
    EncodingException e =
        assertThrows(EncodingException.class, () -> preprocessor.preprocess(new byte[0], "x"));

    assertTrue(e instanceof ImageDecodingException);
  }

  private ImageDecodingException refused(byte[] bytes, String name) {
    ImageDecodingException e =
        assertThrows(ImageDecodingException.class, () -> preprocessor.preprocess(bytes, name));
    assertEquals(name, e.itemName());
    assertEquals(name + ": " + e.reason(), e.getMessage());
    return e;
  }
}
