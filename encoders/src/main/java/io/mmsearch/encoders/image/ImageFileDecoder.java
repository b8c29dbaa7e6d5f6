package io.mmsearch.encoders.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Bytes to upright sRGB pixels through ImageIO, with the pixel budgets checked on the header and
 * every failure turned into an {@link ImageDecodingException} that says what went wrong.
 *
 * <p>Two budgets: an image of at most {@code maxPixels} is decoded whole; a larger one is decoded
 * with source subsampling ({@link ImageReadParam#setSourceSubsampling}: the reader keeps every n-th
 * pixel of every n-th row as it goes) to at most {@code maxPixels}, so memory stays bounded by the
 * budget, not by the file; only an image over {@code maxSourcePixels} is refused, because the
 * reader still inflates every source row and the time that takes grows with the stored size.
 *
 * <p>Subsampling bounds memory only where the reader decodes row by row: PNG, GIF, BMP, TIFF and
 * baseline JPEG (measured: a 36-megapixel image of each decodes to one megapixel allocating about 5
 * MB). The WebP reader decodes the whole frame first and libjpeg keeps every coefficient of a
 * progressive JPEG, so those are held to {@code maxPixels} as stored.
 *
 * <p>Lossless WebP streams are decoded from a copy with a few zero bytes appended: the
 * TwelveMonkeys bit reader otherwise throws and catches an exception for every pixel decoded near
 * the end of the stream (a 300 x 300 uniform image took 6 s and 750 MB of garbage), which made a
 * tiny file a CPU bomb. Bytes after the RIFF chunk are ignored by the format.
 */
final class ImageFileDecoder {
  private final long maxPixels;
  private final long maxSourcePixels;
  private final int background;
  private final int minSide;
  private final String minSideOwner;

  ImageFileDecoder(long maxPixels, long maxSourcePixels, int background) {
    this(maxPixels, maxSourcePixels, background, 1, null);
  }

  /**
   * @param minSide images narrower or lower than this are refused (1: none are)
   * @param minSideOwner what needs that minimum, for the message (e.g. the image backbone)
   */
  ImageFileDecoder(
      long maxPixels, long maxSourcePixels, int background, int minSide, String minSideOwner) {
    this.maxPixels = maxPixels;
    this.maxSourcePixels = maxSourcePixels;
    this.background = background;
    this.minSide = minSide;
    this.minSideOwner = minSideOwner;
  }

  private static final Set<String> ROW_STREAMING_FORMATS =
      Set.of("PNG", "GIF", "BMP", "TIFF", "JPEG");
  private static final int WEBP_PADDING = 16;

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
      checkBudget(header, itemName);
      if (header.pixels() > maxPixels && format.equals("JPEG") && isProgressive(reader)) {
        throw new ImageDecodingException(
            itemName,
            overBudget(header, maxPixels)
                + " (a progressive JPEG is decoded whole, so it is held to the decode budget)");
      }
      ImageReadParam param = reader.getDefaultReadParam();
      int step = subsampling(header.width(), header.height());
      if (step > 1) {
        param.setSourceSubsampling(step, step, 0, 0);
      }
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener(
          (IIOReadWarningListener) (source, warning) -> warnings.add(warning));
      try {
        decoded = reader.read(0, param);
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

  /**
   * Refuses an image whose stored size is over the budget of a subsampled decode.
   *
   * @throws ImageDecodingException naming the size and the budget
   */
  void checkBudget(ImageHeader header, String itemName) {
    if (header.width() < minSide || header.height() < minSide) {
      throw new ImageDecodingException(
          itemName,
          "image is "
              + header.width()
              + "x"
              + header.height()
              + " px, smaller than the "
              + minSide
              + " px a side that "
              + minSideOwner
              + " needs");
    }
    if (!ROW_STREAMING_FORMATS.contains(header.formatName())) {
      if (header.pixels() > maxPixels) {
        throw new ImageDecodingException(
            itemName,
            overBudget(header, maxPixels)
                + " ("
                + header.formatName()
                + " files are decoded whole, so they are held to the decode budget)");
      }
    } else if (header.pixels() > maxSourcePixels) {
      throw new ImageDecodingException(
          itemName, overBudget(header, maxSourcePixels) + " for a subsampled decode");
    }
  }

  private static String overBudget(ImageHeader header, long budget) {
    return header.width()
        + "x"
        + header.height()
        + " = "
        + header.pixels()
        + " pixels exceeds the budget of "
        + budget;
  }

  /** Whether a JPEG is progressive (SOF2); unreadable metadata counts as progressive. */
  private static boolean isProgressive(ImageReader reader) {
    try {
      IIOMetadata metadata = reader.getImageMetadata(0);
      Node root = metadata.getAsTree("javax_imageio_jpeg_image_1.0");
      NodeList sof = ((Element) root).getElementsByTagName("sof");
      return sof.getLength() == 0
          || !"0".equals(((Element) sof.item(0)).getAttribute("process"))
              && !"1".equals(((Element) sof.item(0)).getAttribute("process"));
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /**
   * The smallest step n such that keeping every n-th pixel of every n-th row leaves at most {@code
   * maxPixels} pixels; 1 for an image within the budget.
   */
  int subsampling(int width, int height) {
    long pixels = (long) width * height;
    if (pixels <= maxPixels) {
      return 1;
    }
    int step = Math.max(2, (int) Math.ceil(Math.sqrt((double) pixels / maxPixels)));
    while (subsampledPixels(width, height, step) > maxPixels) {
      step++;
    }
    return step;
  }

  private static long subsampledPixels(int width, int height, int step) {
    return (long) ((width + step - 1) / step) * ((height + step - 1) / step);
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
    if (formatName(reader).equals("WEBP")) {
      in = new ByteArrayImageInputStream(Arrays.copyOf(bytes, bytes.length + WEBP_PADDING));
    }
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
