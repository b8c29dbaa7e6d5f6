package io.mmsearch.encoders.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Builds the image files the tests decode, in memory, so that no binary fixture is committed.
 * Public (in the test jar) for the index-tools tests that need the same files.
 */
public final class TestImages {
  private TestImages() {}

  static BufferedImage filled(int width, int height, int type, Color color) {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setComposite(java.awt.AlphaComposite.Src);
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  static BufferedImage noise(int width, int height, long seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return image;
  }

  /** Encodes with the first ImageIO writer for {@code format}; fails if there is none. */
  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no " + format + " writer for " + image);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An animated GIF whose frames are the given images, in order. */
  static byte[] animatedGif(List<BufferedImage> frames) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames) {
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata metadata =
            writer.getDefaultImageMetadata(
                ImageTypeSpecifier.createFromRenderedImage(frame), param);
        String format = metadata.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", "10");
        control.setAttribute("transparentColorIndex", "0");
        root.appendChild(control);
        metadata.setFromTree(format, root);
        writer.writeToSequence(new IIOImage(frame, null, metadata), param);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * A JPEG whose scan holds the four components of {@code stored} unchanged, marked by an Adobe
   * APP14 segment as CMYK (transform 0) or YCCK (transform 2). As in files Photoshop writes, the
   * stored values are inverted: 255 means no ink.
   */
  static byte[] adobeJpeg(java.awt.image.Raster stored, int adobeTransform) throws IOException {
    // The JDK writer (which TwelveMonkeys delegates to) writes rasters without colour conversion.
    ImageWriter writer = null;
    for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
      ImageWriter candidate = it.next();
      if (candidate.getClass().getName().startsWith("com.sun.imageio")) {
        writer = candidate;
      }
    }
    if (writer == null) {
      throw new IllegalStateException("JDK JPEG writer not found");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      // Raster mode: four components, no colour transform, no JFIF or Adobe segment.
      writer.write(null, new IIOImage(stored, null, null), null);
    } finally {
      writer.dispose();
    }
    byte[] jpeg = out.toByteArray();
    // The Adobe APP14 segment tells readers the components are (inverted) CMYK or YCCK.
    ByteBuffer adobe = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
    adobe.put((byte) 0xFF).put((byte) 0xEE).putShort((short) 14);
    adobe.put("Adobe".getBytes(StandardCharsets.US_ASCII)).putShort((short) 100);
    adobe.putShort((short) 0).putShort((short) 0).put((byte) adobeTransform);
    ByteBuffer spliced = ByteBuffer.allocate(jpeg.length + adobe.capacity());
    spliced.put(jpeg, 0, 2).put(adobe.array()).put(jpeg, 2, jpeg.length - 2);
    return spliced.array();
  }

  /** Inserts an APP1 Exif segment declaring {@code orientation} right after a JPEG's SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    // TIFF structure, big-endian: header, one IFD with one SHORT entry (tag 274), no next IFD.
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(ByteOrder.BIG_ENDIAN);
    tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    tiff.putShort((short) 1);
    tiff.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation);
    tiff.putShort((short) 0);
    tiff.putInt(0);
    byte[] exifId = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
    int length = 2 + exifId.length + tiff.capacity();
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
    out.put(jpeg, 0, 2); // SOI
    out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(exifId).put(tiff.array());
    out.put(jpeg, 2, jpeg.length - 2);
    return out.array();
  }

  /** A TIFF written by the JDK's writer with an Orientation tag (274) in its first IFD. */
  static byte[] tiffWithOrientation(BufferedImage image, int orientation) throws IOException {
    ImageWriter writer = null;
    for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
      ImageWriter candidate = it.next();
      if (candidate.getClass().getName().startsWith("com.sun.imageio")) {
        writer = candidate;
      }
    }
    if (writer == null) {
      throw new IllegalStateException("JDK TIFF writer not found");
    }
    ImageWriteParam param = writer.getDefaultWriteParam();
    IIOMetadata metadata =
        writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
    javax.imageio.plugins.tiff.TIFFDirectory directory =
        javax.imageio.plugins.tiff.TIFFDirectory.createFromMetadata(metadata);
    directory.addTIFFField(
        new javax.imageio.plugins.tiff.TIFFField(
            javax.imageio.plugins.tiff.BaselineTIFFTagSet.getInstance()
                .getTag(javax.imageio.plugins.tiff.BaselineTIFFTagSet.TAG_ORIENTATION),
            javax.imageio.plugins.tiff.TIFFTag.TIFF_SHORT,
            1,
            new char[] {(char) orientation}));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(image, null, directory.getAsMetadata()), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * A PNG that declares {@code width x height} RGB pixels in a valid IHDR but carries only a few
   * bytes of image data: a decompression bomb in miniature.
   */
  public static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0);
    ihdr.put((byte) 0);
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[64]);
    deflater.finish();
    byte[] idat = new byte[128];
    int idatLength = deflater.deflate(idat);
    deflater.end();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    pngChunk(out, "IHDR", ihdr.array(), 13);
    pngChunk(out, "IDAT", idat, idatLength);
    pngChunk(out, "IEND", new byte[0], 0);
    return out.toByteArray();
  }

  /**
   * An 8-bit greyscale PNG of {@code width x height} pixels, black on the left half and white on
   * the right, written row by row so that no raster of that size is ever held: the rows repeat, so
   * even a 10534 x 16000 image compresses to a few hundred kilobytes.
   */
  public static byte[] largeGreyPng(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0);
    ihdr.put((byte) 0);
    byte[] row = new byte[1 + width]; // filter byte 0 (none), then the pixels
    java.util.Arrays.fill(row, 1 + width / 2, row.length, (byte) 0xFF);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (var z = new java.util.zip.DeflaterOutputStream(idat, deflater, 1 << 16)) {
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deflater.end();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    pngChunk(out, "IHDR", ihdr.array(), 13);
    byte[] data = idat.toByteArray();
    pngChunk(out, "IDAT", data, data.length);
    pngChunk(out, "IEND", new byte[0], 0);
    return out.toByteArray();
  }

  private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data, 0, length);
    ByteBuffer buf = ByteBuffer.allocate(12 + length);
    buf.putInt(length).put(typeBytes).put(data, 0, length).putInt((int) crc.getValue());
    out.writeBytes(buf.array());
  }

  /**
   * A lossless WebP (VP8L) of one uniform ARGB colour. Every prefix code is a "simple" code with a
   * single symbol, which takes zero bits per pixel, so the whole image is its headers: a legal
   * stream that libwebp itself produces for flat images.
   */
  static byte[] uniformLosslessWebp(int width, int height, int argb) {
    BitWriter bits = new BitWriter();
    bits.write(0x2F, 8); // VP8L signature
    bits.write(width - 1, 14);
    bits.write(height - 1, 14);
    bits.write((argb >>> 24) == 0xFF ? 0 : 1, 1); // alpha_is_used hint
    bits.write(0, 3); // version
    bits.write(0, 1); // no transform
    bits.write(0, 1); // no colour cache
    bits.write(0, 1); // no meta prefix codes: one group for the whole image
    int[] symbols = {(argb >> 8) & 0xFF, (argb >> 16) & 0xFF, argb & 0xFF, argb >>> 24, 0};
    for (int symbol : symbols) { // green, red, blue, alpha, distance
      bits.write(1, 1); // simple code
      bits.write(0, 1); // one symbol
      bits.write(1, 1); // 8-bit symbol
      bits.write(symbol, 8);
    }
    byte[] vp8l = bits.toByteArray();
    int padded = vp8l.length + (vp8l.length & 1);
    ByteBuffer out = ByteBuffer.allocate(12 + 8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 8 + padded);
    out.put("WEBP".getBytes(StandardCharsets.US_ASCII));
    out.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
    return out.array();
  }

  /** Least-significant-bit-first writer, as VP8L packs its fields. */
  private static final class BitWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long buffer;
    private int count;

    void write(int value, int width) {
      buffer |= ((long) value & ((1L << width) - 1)) << count;
      count += width;
      while (count >= 8) {
        bytes.write((int) (buffer & 0xFF));
        buffer >>>= 8;
        count -= 8;
      }
    }

    byte[] toByteArray() {
      if (count > 0) {
        bytes.write((int) (buffer & 0xFF));
        buffer = 0;
        count = 0;
      }
      return bytes.toByteArray();
    }
  }
}
