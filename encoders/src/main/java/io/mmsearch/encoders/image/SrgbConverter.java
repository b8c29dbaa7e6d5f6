package io.mmsearch.encoders.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Converts whatever a reader returned (8 or 16 bits, grey, palette, alpha, CMYK or ICC colour
 * spaces) into opaque 8-bit sRGB {@code TYPE_INT_RGB}, compositing transparency onto a background.
 *
 * <p>Compositing and bit-depth reduction are done here in integer arithmetic rather than through
 * {@code Graphics2D.drawImage}, because Java2D treats grey images as linear light and brightens
 * them, while every other tool (browsers, Pillow) treats a grey PNG's values as display values.
 */
final class SrgbConverter {
  private SrgbConverter() {}

  /** Returns {@code image} itself if it already is a plain {@code TYPE_INT_RGB}, else a copy. */
  static BufferedImage toIntRgb(BufferedImage image, int background) {
    if (isPlainIntRgb(image)) {
      return image;
    }
    ColorModel cm = image.getColorModel();
    ColorSpace cs = cm.getColorSpace();
    int transferType = image.getRaster().getTransferType();
    boolean integerSamples =
        transferType == DataBuffer.TYPE_BYTE
            || transferType == DataBuffer.TYPE_USHORT
            || transferType == DataBuffer.TYPE_INT;
    if (cm instanceof ComponentColorModel
        && transferType == DataBuffer.TYPE_BYTE
        && image.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel
        && !cm.isAlphaPremultiplied()
        && (cs.isCS_sRGB() || cs.getType() == ColorSpace.TYPE_GRAY)) {
      return fromInterleavedBytes(image, background);
    }
    if (cm instanceof ComponentColorModel
        && integerSamples
        && !cm.isAlphaPremultiplied()
        && (cs.isCS_sRGB() || cs.getType() == ColorSpace.TYPE_GRAY)) {
      return fromComponentSamples(image, background);
    }
    if (cm instanceof IndexColorModel || cs.isCS_sRGB()) {
      return fromArgb(image, background);
    }
    // A non-sRGB colour space (embedded ICC profile, CMYK TIFF, linear RGB): let the colour
    // management system convert to sRGB, keeping alpha, then composite.
    BufferedImage argb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
    new ColorConvertOp(null).filter(image, argb);
    return fromArgb(argb, background);
  }

  /** The packed 0xRRGGBB pixels of a {@code TYPE_INT_RGB} image, row by row, without copying. */
  static int[] pixels(BufferedImage intRgb) {
    if (isPlainIntRgb(intRgb)) {
      return ((DataBufferInt) intRgb.getRaster().getDataBuffer()).getData();
    }
    int w = intRgb.getWidth();
    return intRgb.getRGB(0, 0, w, intRgb.getHeight(), null, 0, w);
  }

  private static boolean isPlainIntRgb(BufferedImage image) {
    Raster raster = image.getRaster();
    return image.getType() == BufferedImage.TYPE_INT_RGB
        && raster.getParent() == null
        && raster.getMinX() == 0
        && raster.getMinY() == 0
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
        && sm.getScanlineStride() == image.getWidth()
        && raster.getDataBuffer().getNumBanks() == 1
        && raster.getDataBuffer().getOffset() == 0;
  }

  /**
   * The common case (JPEG's 3-byte BGR, PNG's 4-byte ABGR, 8-bit grey) read straight from the byte
   * array: several times faster than going through the generic sample model.
   */
  private static BufferedImage fromInterleavedBytes(BufferedImage image, int background) {
    Raster raster = image.getRaster();
    PixelInterleavedSampleModel sm = (PixelInterleavedSampleModel) raster.getSampleModel();
    byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
    int colours = image.getColorModel().getNumColorComponents();
    boolean alpha = image.getColorModel().hasAlpha();
    int[] bandOffsets = sm.getBandOffsets();
    int rOff = bandOffsets[0];
    int gOff = colours == 1 ? rOff : bandOffsets[1];
    int bOff = colours == 1 ? rOff : bandOffsets[2];
    int aOff = alpha ? bandOffsets[colours] : 0;
    int pixelStride = sm.getPixelStride();
    int scanlineStride = sm.getScanlineStride();
    int base =
        raster.getDataBuffer().getOffset()
            + (raster.getMinY() - raster.getSampleModelTranslateY()) * scanlineStride
            + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < h; y++) {
      int s = base + y * scanlineStride;
      int o = y * w;
      if (alpha) {
        for (int x = 0; x < w; x++, s += pixelStride) {
          int r = data[s + rOff] & 0xFF;
          int g = data[s + gOff] & 0xFF;
          int b = data[s + bOff] & 0xFF;
          dst[o + x] = composite(r, g, b, data[s + aOff] & 0xFF, background);
        }
      } else {
        for (int x = 0; x < w; x++, s += pixelStride) {
          dst[o + x] =
              (data[s + rOff] & 0xFF) << 16 | (data[s + gOff] & 0xFF) << 8 | data[s + bOff] & 0xFF;
        }
      }
    }
    return out;
  }

  /** Grey or sRGB samples of any integer bit depth, with or without (straight) alpha. */
  private static BufferedImage fromComponentSamples(BufferedImage image, int background) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    int colours = cm.getNumColorComponents();
    int bands = raster.getNumBands();
    boolean alpha = cm.hasAlpha();
    int[] max = new int[bands];
    for (int b = 0; b < bands; b++) {
      max[b] = (int) ((1L << cm.getComponentSize(b)) - 1);
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    int[] row = new int[w * bands];
    int minX = raster.getMinX();
    int minY = raster.getMinY();
    for (int y = 0; y < h; y++) {
      raster.getPixels(minX, minY + y, w, 1, row);
      int o = y * w;
      for (int x = 0, s = 0; x < w; x++, s += bands) {
        int r = to8Bit(row[s], max[0]);
        int g = colours == 1 ? r : to8Bit(row[s + 1], max[1]);
        int b = colours == 1 ? r : to8Bit(row[s + 2], max[2]);
        int a = alpha ? to8Bit(row[s + colours], max[colours]) : 255;
        dst[o + x] = composite(r, g, b, a, background);
      }
    }
    return out;
  }

  /** Anything ImageIO can express as non-premultiplied sRGB ARGB (palettes, packed ints). */
  private static BufferedImage fromArgb(BufferedImage image, int background) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    int[] row = new int[w];
    boolean alpha = image.getColorModel().hasAlpha();
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      int o = y * w;
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int a = alpha ? p >>> 24 : 255;
        dst[o + x] = composite((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF, a, background);
      }
    }
    return out;
  }

  private static int to8Bit(int sample, int max) {
    return max == 255 ? sample : (int) ((sample * 255L + max / 2) / max);
  }

  /** Source-over onto an opaque background, rounded to nearest. */
  private static int composite(int r, int g, int b, int a, int background) {
    if (a == 255) {
      return (r << 16) | (g << 8) | b;
    }
    int inv = 255 - a;
    int br = (background >> 16) & 0xFF;
    int bg = (background >> 8) & 0xFF;
    int bb = background & 0xFF;
    int or = (r * a + br * inv + 127) / 255;
    int og = (g * a + bg * inv + 127) / 255;
    int ob = (b * a + bb * inv + 127) / 255;
    return (or << 16) | (og << 8) | ob;
  }
}
