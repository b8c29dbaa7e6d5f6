package io.mmsearch.encoders.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Bytes to upright sRGB pixels through ImageIO, with the pixel budget checked on the header and
 * every failure turned into an {@link ImageDecodingException} that says what went wrong.
 */
final class ImageFileDecoder {
  private final long maxPixels;
  private final int background;

  ImageFileDecoder(long maxPixels, int background) {
    this.maxPixels = maxPixels;
    this.background = background;
  }

  ImageHeader readHeader(byte[] bytes, String itemName) {
    ImageReader reader = openReader(bytes, itemName);
    try {
      return header(reader, itemName);
    } finally {
      dispose(reader);
    }
  }

  BufferedImage decode(byte[] bytes, String itemName) {
    ImageReader reader = openReader(bytes, itemName);
    BufferedImage decoded;
    String format;
    try {
      ImageHeader header = header(reader, itemName);
      format = header.formatName();
      if (header.pixels() > maxPixels) {
        throw new ImageDecodingException(
            itemName,
            header.width()
                + "x"
                + header.height()
                + " = "
                + header.pixels()
                + " pixels exceeds the budget of "
                + maxPixels);
      }
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener(
          (IIOReadWarningListener) (source, warning) -> warnings.add(warning));
      try {
        decoded = reader.read(0);
      } catch (IOException | RuntimeException e) {
        throw new ImageDecodingException(itemName, describeFailure(format + " file", e), e);
      }
      // The JDK's libjpeg-based decoder only warns on a premature end and greys out the rest.
      for (String warning : warnings) {
        if (looksTruncated(warning)) {
          throw new ImageDecodingException(
              itemName, "truncated " + format + " file (" + warning + ")");
        }
      }
    } finally {
      dispose(reader);
    }
    try {
      BufferedImage rgb = SrgbConverter.toIntRgb(decoded, background);
      return ExifOrientation.read(bytes, format).apply(rgb);
    } catch (RuntimeException e) {
      // Colour management rejects some embedded ICC profiles (CMMException): a bad file, not a bug.
      throw new ImageDecodingException(
          itemName, "cannot convert the " + format + " pixels to sRGB (" + rootMessage(e) + ")", e);
    }
  }

  private ImageReader openReader(byte[] bytes, String itemName) {
    if (bytes == null || bytes.length == 0) {
      throw new ImageDecodingException(itemName, "empty file");
    }
    ImageInputStream in = new ByteArrayImageInputStream(bytes);
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new ImageDecodingException(itemName, FormatSniffer.describeUnreadable(bytes));
    }
    ImageReader reader = readers.next();
    // seekForwardOnly lets readers drop what they passed; metadata is read separately when needed.
    reader.setInput(in, true, true);
    return reader;
  }

  private static ImageHeader header(ImageReader reader, String itemName) {
    String format = formatName(reader);
    int width;
    int height;
    try {
      width = reader.getWidth(0);
      height = reader.getHeight(0);
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodingException(itemName, describeFailure(format + " header", e), e);
    }
    if (width <= 0 || height <= 0) {
      throw new ImageDecodingException(
          itemName, format + " header declares an empty image of " + width + "x" + height);
    }
    ImageReaderSpi spi = reader.getOriginatingProvider();
    String[] mimeTypes = spi == null ? null : spi.getMIMETypes();
    String mime =
        mimeTypes != null && mimeTypes.length > 0 ? mimeTypes[0] : "application/octet-stream";
    return new ImageHeader(format, mime, width, height);
  }

  private static String formatName(ImageReader reader) {
    String name;
    try {
      name = reader.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      name = "image";
    }
    return switch (name) {
      case "TIF" -> "TIFF";
      case "JPG" -> "JPEG";
      default -> name;
    };
  }

  /** {@code part} is what was being read, e.g. "PNG header" or "JPEG file". */
  private static String describeFailure(String part, Throwable e) {
    String detail = rootMessage(e);
    return (isTruncation(e) ? "truncated " : "corrupt ") + part + " (" + detail + ")";
  }

  private static boolean isTruncation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException || (t.getMessage() != null && looksTruncated(t.getMessage()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean looksTruncated(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("premature end")
        || m.contains("unexpected end")
        || m.contains("end of stream")
        || m.contains("eof")
        || m.contains("truncated");
  }

  private static String rootMessage(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m == null) {
        m = t instanceof EOFException ? "unexpected end of file" : t.getClass().getSimpleName();
      }
      if (!parts.contains(m)) {
        parts.add(m);
      }
    }
    return String.join(": ", parts);
  }

  private static void dispose(ImageReader reader) {
    Object input = reader.getInput();
    reader.dispose();
    if (input instanceof ImageInputStream in) {
      try {
        in.close();
      } catch (IOException e) {
        // A byte-array stream holds no resource worth reporting.
      }
    }
  }
}
