package io.mmsearch.encoders.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every supported file format decodes to upright, opaque 8-bit sRGB with the right colours. */
class ImagePreprocessorFormatsTest {
  private static final int BACKGROUND = 0x2040F0;

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(
          new ImageInputSpec(
              8,
              3,
              new float[] {0.5f, 0.5f, 0.5f},
              new float[] {0.5f, 0.5f, 0.5f},
              ImageInputSpec.ResizePolicy.RESIZE_SHORTER_CENTER_CROP,
              BACKGROUND));

  @Test
  void rgbJpegDecodesToIntRgbWithItsColour() {
    byte[] jpeg = TestImages.encode(flat(48, 32, 0xC03010), "jpeg");

    BufferedImage image = preprocessor.decode(jpeg, "photo.jpg");

    assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
    assertEquals(48, image.getWidth());
    assertEquals(32, image.getHeight());
    assertColourNear(0xC03010, image.getRGB(24, 16), 4);
  }

  @Test
  void cmykJpegIsConvertedToRgb() throws Exception {
    // Full magenta and yellow ink, no cyan or black: printed red. Adobe stores 255 - ink.
    byte[] jpeg = TestImages.adobeJpeg(uniformComponents(32, 24, 255, 0, 0, 255), 0);

    BufferedImage image = preprocessor.decode(jpeg, "print.jpg");

    assertEquals(32, image.getWidth());
    int rgb = image.getRGB(16, 12);
    assertTrue(red(rgb) > 180 && green(rgb) < 90 && blue(rgb) < 90, hex(rgb) + " is not red");
  }

  @Test
  void ycckJpegIsConvertedToRgb() throws Exception {
    // YCCK stores the inks C, M, Y as the YCbCr of (R, G, B) = (C, M, Y) and K inverted. The same
    // printed red as above (inks 0, 255, 255, 0) is Y = 179, Cb = 171, Cr = 1, K = 255.
    byte[] jpeg = TestImages.adobeJpeg(uniformComponents(16, 16, 179, 171, 1, 255), 2);

    BufferedImage image = preprocessor.decode(jpeg, "print-ycck.jpg");

    int rgb = image.getRGB(8, 8);
    assertTrue(red(rgb) > 180 && green(rgb) < 90 && blue(rgb) < 90, hex(rgb) + " is not red");
  }

  @Test
  void sixteenBitGreyPngKeepsItsDisplayValue() {
    BufferedImage grey = new BufferedImage(20, 10, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = grey.getRaster();
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 20; x++) {
        raster.setSample(x, y, 0, 0x8080); // 32896 / 65535 = 128 / 255 exactly
      }
    }
    byte[] png = TestImages.encode(grey, "png");

    BufferedImage image = preprocessor.decode(png, "grey16.png");

    // Not brightened by a linear-to-sRGB conversion: grey 128 stays 128.
    assertEquals(0x808080, image.getRGB(3, 3) & 0xFFFFFF);
  }

  @Test
  void sixteenBitRgbPngIsReducedToEightBits() {
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            new int[] {16, 16, 16},
            false,
            false,
            java.awt.Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(12, 6);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 12; x++) {
        raster.setPixel(x, y, new int[] {0xFFFF, 0x4040, 0x0000});
      }
    }
    byte[] png = TestImages.encode(new BufferedImage(model, raster, false, null), "png");

    BufferedImage image = preprocessor.decode(png, "rgb16.png");

    assertEquals(0xFF4000, image.getRGB(5, 5) & 0xFFFFFF);
  }

  @Test
  void eightBitGreyPngStaysGrey() {
    BufferedImage gray8 = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
    gray8.getRaster().setSamples(0, 0, 10, 10, 0, filledInts(100, 77));

    BufferedImage image = preprocessor.decode(TestImages.encode(gray8, "png"), "grey8.png");

    assertEquals(0x4D4D4D, image.getRGB(1, 1) & 0xFFFFFF);
  }

  @Test
  void greyWithAlphaPngIsCompositedOntoTheBackground() {
    ComponentColorModel greyAlpha =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            java.awt.Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = greyAlpha.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {100, 255}); // opaque grey
    raster.setPixel(1, 0, new int[] {100, 0}); // fully transparent
    byte[] png = TestImages.encode(new BufferedImage(greyAlpha, raster, false, null), "png");

    BufferedImage image = preprocessor.decode(png, "grey-alpha.png");

    assertEquals(0x646464, image.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(BACKGROUND, image.getRGB(1, 0) & 0xFFFFFF);
  }

  @Test
  void palettePngWithTransparencyShowsTheBackgroundThroughTransparentEntries() {
    IndexColorModel palette =
        new IndexColorModel(
            8,
            2,
            new byte[] {(byte) 0xFF, 0},
            new byte[] {0, (byte) 0xFF},
            new byte[] {0, 0},
            new byte[] {(byte) 0xFF, 0});
    BufferedImage indexed = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_INDEXED, palette);
    // Top row index 0 (opaque red), bottom row index 1 (transparent green).
    indexed.getRaster().setSamples(0, 1, 4, 1, 0, new int[] {1, 1, 1, 1});
    byte[] png = TestImages.encode(indexed, "png");

    BufferedImage image = preprocessor.decode(png, "palette.png");

    assertEquals(0xFF0000, image.getRGB(2, 0) & 0xFFFFFF);
    assertEquals(BACKGROUND, image.getRGB(2, 1) & 0xFFFFFF);
  }

  @Test
  void rgbaPngIsCompositedOntoTheBackground() {
    BufferedImage rgba = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(0, 0, 0xFFFF0000); // opaque red
    rgba.setRGB(1, 0, 0x00FF0000); // fully transparent red
    rgba.setRGB(2, 0, 0x80FFFFFF); // half-transparent white
    byte[] png = TestImages.encode(rgba, "png");

    BufferedImage image = preprocessor.decode(png, "emoji.png");

    assertEquals(0xFF0000, image.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(BACKGROUND, image.getRGB(1, 0) & 0xFFFFFF);
    // 128/255 of white over (0x20, 0x40, 0xF0), rounded to nearest.
    int expectedR = (255 * 128 + 0x20 * 127 + 127) / 255;
    int expectedG = (255 * 128 + 0x40 * 127 + 127) / 255;
    int expectedB = (255 * 128 + 0xF0 * 127 + 127) / 255;
    assertEquals((expectedR << 16) | (expectedG << 8) | expectedB, image.getRGB(2, 0) & 0xFFFFFF);
  }

  @Test
  void animatedGifYieldsItsFirstFrame() throws Exception {
    byte[] gif =
        TestImages.animatedGif(
            List.of(
                TestImages.filled(10, 10, BufferedImage.TYPE_INT_RGB, Color.RED),
                TestImages.filled(10, 10, BufferedImage.TYPE_INT_RGB, Color.BLUE)));

    BufferedImage image = preprocessor.decode(gif, "anim.gif");

    assertEquals(0xFF0000, image.getRGB(5, 5) & 0xFFFFFF);
  }

  @Test
  void bmpDecodes() {
    byte[] bmp = TestImages.encode(flat(7, 5, 0x12AB34), "bmp");

    BufferedImage image = preprocessor.decode(bmp, "old.bmp");

    assertEquals(7, image.getWidth());
    assertEquals(0x12AB34, image.getRGB(6, 4) & 0xFFFFFF);
  }

  @Test
  void tiffDecodes() {
    byte[] tiff = TestImages.encode(flat(9, 4, 0x5060A0), "tiff");

    BufferedImage image = preprocessor.decode(tiff, "scan.tif");

    assertEquals(9, image.getWidth());
    assertEquals(0x5060A0, image.getRGB(8, 3) & 0xFFFFFF);
  }

  @Test
  void losslessWebpDecodesAndCompositesAlpha() {
    byte[] opaque = TestImages.uniformLosslessWebp(6, 3, 0xFF336699);
    byte[] transparent = TestImages.uniformLosslessWebp(6, 3, 0x00336699);

    assertEquals(0x336699, preprocessor.decode(opaque, "flat.webp").getRGB(5, 2) & 0xFFFFFF);
    assertEquals(
        BACKGROUND, preprocessor.decode(transparent, "clear.webp").getRGB(0, 0) & 0xFFFFFF);
  }

  @Test
  void exifOrientationSixRotatesClockwise() {
    // Stored 40x20: left half red, right half blue. Orientation 6 = rotate 90 degrees clockwise
    // to display, so the left half ends up on top.
    byte[] jpeg =
        TestImages.withExifOrientation(TestImages.encode(leftRedRightBlue(40, 20), "jpeg"), 6);

    BufferedImage image = preprocessor.decode(jpeg, "phone.jpg");

    assertEquals(20, image.getWidth());
    assertEquals(40, image.getHeight());
    assertColourNear(0xFF0000, image.getRGB(10, 5), 40);
    assertColourNear(0x0000FF, image.getRGB(10, 35), 40);
  }

  @Test
  void tiffOrientationEightRotatesCounterClockwise() throws Exception {
    // Stored 40x20: left half red, right half blue. Orientation 8 = rotate 90 degrees
    // counter-clockwise to display, so the left half ends up at the bottom.
    byte[] tiff = TestImages.tiffWithOrientation(leftRedRightBlue(40, 20), 8);

    BufferedImage image = preprocessor.decode(tiff, "scan.tif");

    assertEquals(20, image.getWidth());
    assertEquals(40, image.getHeight());
    assertEquals(0x0000FF, image.getRGB(10, 5) & 0xFFFFFF);
    assertEquals(0xFF0000, image.getRGB(10, 35) & 0xFFFFFF);
  }

  @Test
  void corruptExifIsIgnoredAndThePixelsKept() {
    byte[] jpeg = TestImages.encode(leftRedRightBlue(40, 20), "jpeg");
    byte[] withExif = TestImages.withExifOrientation(jpeg, 6);
    // Break the TIFF byte-order mark inside the Exif segment (after FFD8 FFE1 len "Exif\0\0").
    withExif[2 + 4 + 6] = 'X';

    BufferedImage image = preprocessor.decode(withExif, "odd-exif.jpg");

    assertEquals(40, image.getWidth());
  }

  @Test
  void everyExifOrientationIsUndoneExactly() {
    // A 3x2 image with distinct pixels, viewed through each orientation's inverse.
    BufferedImage upright = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 6; i++) {
      upright.setRGB(i % 3, i / 3, i + 1);
    }
    for (ExifOrientation orientation : ExifOrientation.values()) {
      BufferedImage stored = storedAs(upright, orientation);
      BufferedImage restored = orientation.apply(stored);
      assertEquals(3, restored.getWidth(), orientation.toString());
      for (int i = 0; i < 6; i++) {
        assertEquals(i + 1, restored.getRGB(i % 3, i / 3) & 0xFFFFFF, orientation + " pixel " + i);
      }
    }
  }

  /** What a camera stores for an upright scene when it tags the file with {@code orientation}. */
  private static BufferedImage storedAs(BufferedImage upright, ExifOrientation orientation) {
    int w = upright.getWidth();
    int h = upright.getHeight();
    boolean swap = orientation.tagValue() >= 5;
    BufferedImage stored =
        new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // Position of the upright pixel (x, y) in the stored image, per the EXIF definitions.
        int sx;
        int sy;
        switch (orientation.tagValue()) {
          case 1 -> {
            sx = x;
            sy = y;
          }
          case 2 -> {
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = w - 1 - x;
          }
          case 7 -> {
            sx = h - 1 - y;
            sy = w - 1 - x;
          }
          case 8 -> {
            sx = h - 1 - y;
            sy = x;
          }
          default -> throw new AssertionError();
        }
        stored.setRGB(sx, sy, upright.getRGB(x, y));
      }
    }
    return stored;
  }

  private static BufferedImage leftRedRightBlue(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, x < w / 2 ? 0xFF0000 : 0x0000FF);
      }
    }
    return image;
  }

  private static Raster uniformComponents(int w, int h, int c, int m, int y, int k) {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int row = 0; row < h; row++) {
      for (int col = 0; col < w; col++) {
        raster.setPixel(col, row, new int[] {c, m, y, k});
      }
    }
    return raster;
  }

  private static BufferedImage flat(int w, int h, int rgb) {
    return TestImages.filled(w, h, BufferedImage.TYPE_INT_RGB, new Color(rgb));
  }

  private static int[] filledInts(int n, int value) {
    int[] values = new int[n];
    java.util.Arrays.fill(values, value);
    return values;
  }

  static void assertColourNear(int expected, int actual, int tolerance) {
    boolean near =
        Math.abs(red(expected) - red(actual)) <= tolerance
            && Math.abs(green(expected) - green(actual)) <= tolerance
            && Math.abs(blue(expected) - blue(actual)) <= tolerance;
    assertTrue(
        near, "expected " + hex(expected) + " within " + tolerance + " but was " + hex(actual));
  }

  private static int red(int rgb) {
    return (rgb >> 16) & 0xFF;
  }

  private static int green(int rgb) {
    return (rgb >> 8) & 0xFF;
  }

  private static int blue(int rgb) {
    return rgb & 0xFF;
  }

  private static String hex(int rgb) {
    return String.format("#%06X", rgb & 0xFFFFFF);
  }
}
