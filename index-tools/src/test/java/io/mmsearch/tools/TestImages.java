package io.mmsearch.tools;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Small real image files for tests. */
final class TestImages {
  private TestImages() {}

  /** A 32x32 image in {@code format} ("png", "jpeg", "gif", "bmp"): a filled shape on white. */
  static byte[] shape(Color color, boolean circle, String format) {
    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 32, 32);
    g.setColor(color);
    if (circle) {
      g.fillOval(4, 4, 24, 24);
    } else {
      g.fillRect(4, 4, 24, 24);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalArgumentException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  /** A PNG carrying {@code tEXt} chunks, as written by many tools. */
  static byte[] pngWithText(String... keyValues) throws IOException {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
    IIOMetadata md =
        w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
    IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
    IIOMetadataNode text = new IIOMetadataNode("tEXt");
    for (int i = 0; i < keyValues.length; i += 2) {
      IIOMetadataNode e = new IIOMetadataNode("tEXtEntry");
      e.setAttribute("keyword", keyValues[i]);
      e.setAttribute("value", keyValues[i + 1]);
      text.appendChild(e);
    }
    root.appendChild(text);
    md.mergeTree("javax_imageio_png_1.0", root);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(new IIOImage(img, null, md));
    } finally {
      w.dispose();
    }
    return out.toByteArray();
  }
}
