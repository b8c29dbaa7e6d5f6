package io.mmsearch.tools;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Writes the messy files a real collection has, for the indexing tests. */
final class BadInputCorpus {
  private BadInputCorpus() {}

  static byte[] png(Color c) {
    return TestImages.shape(c, false, "png");
  }

  static void zeroBytes(Path file) throws IOException {
    TestImages.write(file, new byte[0]);
  }

  static void truncated(Path file) throws IOException {
    byte[] full = png(Color.ORANGE);
    TestImages.write(file, Arrays.copyOf(full, full.length / 3));
  }

  /** A PNG whose IHDR declares {@code width x height} pixels, with no pixel data behind it. */
  static void hugeHeader(Path file, int width, int height) throws IOException {
    TestImages.write(file, io.mmsearch.encoders.image.TestImages.pngHeaderOnly(width, height));
  }

  /**
   * A real PNG of {@code width x height} grey pixels, black left and white right, written row by
   * row (a 10534 x 16000 one is about 2 MB).
   */
  static void largePng(Path file, int width, int height) throws IOException {
    TestImages.write(file, io.mmsearch.encoders.image.TestImages.largeGreyPng(width, height));
  }

  /** A four-channel (CMYK) JPEG, written from a raster as the JDK writer allows. */
  static void cmykJpeg(Path file) throws IOException {
    BufferedImage rgb = new BufferedImage(24, 24, BufferedImage.TYPE_4BYTE_ABGR);
    WritableRaster raster = rgb.getRaster().createCompatibleWritableRaster();
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 24; x++) {
        raster.setPixel(x, y, new int[] {0, 200, 200, x < 12 ? 0 : 60});
      }
    }
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(null, new IIOImage(raster, null, null), w.getDefaultWriteParam());
    } finally {
      w.dispose();
    }
    TestImages.write(file, out.toByteArray());
  }

  static void sixteenBitPng(Path file) throws IOException {
    BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        r.setSample(x, y, 0, x * 3000);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    TestImages.write(file, out.toByteArray());
  }

  static void animatedGif(Path file) throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      w.setOutput(ios);
      w.prepareWriteSequence(null);
      for (Color c : new Color[] {Color.RED, Color.BLUE}) {
        BufferedImage frame = ImageIO.read(new java.io.ByteArrayInputStream(png(c)));
        BufferedImage indexed = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(frame, 0, 0, null);
        IIOMetadata md =
            w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(indexed), null);
        String format = md.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(format);
        IIOMetadataNode gce = new IIOMetadataNode("GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", "50");
        gce.setAttribute("transparentColorIndex", "0");
        root.appendChild(gce);
        md.setFromTree(format, root);
        w.writeToSequence(new IIOImage(indexed, null, md), null);
      }
      w.endWriteSequence();
    } finally {
      w.dispose();
    }
    TestImages.write(file, out.toByteArray());
  }

  /** Makes {@code file} unreadable; returns whether that took effect (it does not for root). */
  static boolean unreadable(Path file) throws IOException {
    TestImages.write(file, png(Color.PINK));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    try {
      Files.readAllBytes(file);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
