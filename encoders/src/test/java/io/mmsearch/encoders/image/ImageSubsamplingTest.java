package io.mmsearch.encoders.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Images over the decode budget are decoded with source subsampling to within it, with memory
 * bounded by the budget rather than by the file; only formats whose readers decode the whole frame
 * anyway are held to the decode budget as stored. Memory is measured as the bytes the decoding
 * thread allocates.
 */
class ImageSubsamplingTest {
  private final ImagePreprocessor preprocessor = new ImagePreprocessor(ImageInputSpec.defaults());

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void clipArtSizedPngIsDecodedSubsampledWithBoundedMemory() {
    // The size of the largest real clip-art PNGs that the old budget refused outright.
    byte[] png = TestImages.largeGreyPng(10534, 16000);
    long before = allocatedByThisThread();

    BufferedImage image = preprocessor.decode(png, "clip-art.png");

    long allocated = allocatedByThisThread() - before;
    // Every 3rd pixel of every 3rd row: the smallest step within 40 megapixels.
    assertEquals(3512, image.getWidth());
    assertEquals(5334, image.getHeight());
    assertEquals(0x000000, image.getRGB(10, 2000) & 0xFFFFFF, "left half stays black");
    assertEquals(0xFFFFFF, image.getRGB(3500, 2000) & 0xFFFFFF, "right half stays white");
    long wholeDecode = 10534L * 16000 * 4; // the sRGB raster alone, had it been decoded whole
    System.out.printf(
        "10534x16000 PNG decoded to %dx%d allocating %.0f MB (a whole decode: over %.0f MB)%n",
        image.getWidth(), image.getHeight(), allocated / 1e6, wholeDecode / 1e6);
    assertTrue(allocated < wholeDecode / 3, allocated + " bytes allocated");
  }

  @Test
  void subsampledRasterScalesWithTheBudgetNotTheFile() {
    byte[] png = TestImages.largeGreyPng(6000, 6000);
    ImagePreprocessor small = preprocessor.withMaxPixels(1_000_000);
    long before = allocatedByThisThread();

    BufferedImage image = small.decode(png, "big.png");

    long allocated = allocatedByThisThread() - before;
    assertEquals(1000, image.getWidth());
    assertEquals(1000, image.getHeight());
    assertTrue(allocated < 32L << 20, allocated + " bytes allocated for a 1-megapixel result");
  }

  @Test
  void baselineJpegIsSubsampledButProgressiveJpegIsHeldToTheDecodeBudget() throws IOException {
    BufferedImage source = TestImages.noise(1500, 1000, 9);
    ImagePreprocessor small = preprocessor.withMaxPixels(500_000);

    BufferedImage baseline = small.decode(jpeg(source, false), "baseline.jpg");
    ImageDecodingException e =
        assertThrows(
            ImageDecodingException.class,
            () -> small.decode(jpeg(source, true), "progressive.jpg"));

    assertEquals(750, baseline.getWidth());
    assertEquals(500, baseline.getHeight());
    assertTrue(e.reason().contains("progressive JPEG is decoded whole"), e.reason());
    assertEquals(1500, preprocessor.decode(jpeg(source, true), "within.jpg").getWidth());
  }

  @Test
  void webpIsHeldToTheDecodeBudget() {
    byte[] webp = TestImages.uniformLosslessWebp(2000, 1000, 0xFF336699);

    ImageDecodingException e =
        assertThrows(
            ImageDecodingException.class,
            () -> preprocessor.withMaxPixels(1_000_000).decode(webp, "wide.webp"));

    assertEquals(
        "2000x1000 = 2000000 pixels exceeds the budget of 1000000 (WEBP files are decoded whole, so"
            + " they are held to the decode budget)",
        e.reason());
  }

  @Test
  void tinyLosslessWebpIsNotACpuBomb() {
    // Decoded as written, this 40-byte file made the reader throw an exception per pixel.
    byte[] webp = TestImages.uniformLosslessWebp(300, 300, 0xFF336699);
    long before = allocatedByThisThread();

    BufferedImage image = preprocessor.decode(webp, "flat.webp");

    long allocated = allocatedByThisThread() - before;
    assertEquals(0x336699, image.getRGB(150, 150) & 0xFFFFFF);
    assertTrue(allocated < 16L << 20, allocated + " bytes allocated for 90,000 pixels");
  }

  private static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(
        progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
