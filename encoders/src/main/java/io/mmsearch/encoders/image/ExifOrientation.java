package io.mmsearch.encoders.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.util.List;
import javax.imageio.stream.ImageInputStream;

/**
 * The eight EXIF/TIFF orientations (tag 274) and how to bring a stored image upright.
 *
 * <p>Each value maps an output pixel {@code (x, y)} to a source index {@code start + x * dx + y *
 * dy} in the row-major source, which keeps {@link #apply} one loop for all eight cases.
 */
enum ExifOrientation {
  TOP_LEFT(1, false),
  TOP_RIGHT(2, false),
  BOTTOM_RIGHT(3, false),
  BOTTOM_LEFT(4, false),
  LEFT_TOP(5, true),
  RIGHT_TOP(6, true),
  RIGHT_BOTTOM(7, true),
  LEFT_BOTTOM(8, true);

  private final int tagValue;
  private final boolean swapsAxes;

  ExifOrientation(int tagValue, boolean swapsAxes) {
    this.tagValue = tagValue;
    this.swapsAxes = swapsAxes;
  }

  /** The value of the EXIF Orientation tag, 1 to 8. */
  int tagValue() {
    return tagValue;
  }

  static ExifOrientation fromTag(int value) {
    for (ExifOrientation o : values()) {
      if (o.tagValue == value) {
        return o;
      }
    }
    return TOP_LEFT; // out-of-range values are ignored, as browsers do
  }

  /**
   * Reads the orientation that a JPEG (APP1 Exif segment) or TIFF (first IFD) declares. Missing or
   * unreadable metadata means {@link #TOP_LEFT}: a damaged EXIF block must not cost the pixels.
   */
  static ExifOrientation read(byte[] bytes, String formatName) {
    try {
      Directory directory =
          switch (formatName) {
            case "JPEG" -> readJpegExif(bytes);
            case "TIFF" -> readTiff(bytes);
            default -> null;
          };
      if (directory == null) {
        return TOP_LEFT;
      }
      Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
      if (entry != null && entry.getValue() instanceof Number n) {
        return fromTag(n.intValue());
      }
    } catch (IOException | RuntimeException e) {
      // Corrupt metadata: decode the pixels as stored.
    }
    return TOP_LEFT;
  }

  private static Directory readJpegExif(byte[] bytes) throws IOException {
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
      if (segments.isEmpty()) {
        return null;
      }
      // data() starts after the "Exif\0" identifier; one pad byte precedes the TIFF header. The
      // segment is read into memory: ImageIO's stream factory could spill to a temporary file.
      byte[] exif = segments.get(0).data().readAllBytes();
      if (exif.length < 2) {
        return null;
      }
      try (ImageInputStream tiff = new ByteArrayImageInputStream(exif, 1, exif.length - 1)) {
        return new TIFFReader().read(tiff);
      }
    }
  }

  private static Directory readTiff(byte[] bytes) throws IOException {
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      return new TIFFReader().read(in);
    }
  }

  /** Returns {@code image} upright: the same instance for {@link #TOP_LEFT}, else a new image. */
  BufferedImage apply(BufferedImage image) {
    if (this == TOP_LEFT) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] src = SrgbConverter.pixels(image);
    int outW = swapsAxes ? h : w;
    int outH = swapsAxes ? w : h;
    int start;
    int dx;
    int dy;
    switch (this) {
      case TOP_RIGHT -> {
        start = w - 1;
        dx = -1;
        dy = w;
      }
      case BOTTOM_RIGHT -> {
        start = (h - 1) * w + w - 1;
        dx = -1;
        dy = -w;
      }
      case BOTTOM_LEFT -> {
        start = (h - 1) * w;
        dx = 1;
        dy = -w;
      }
      case LEFT_TOP -> {
        start = 0;
        dx = w;
        dy = 1;
      }
      case RIGHT_TOP -> {
        start = (h - 1) * w;
        dx = -w;
        dy = 1;
      }
      case RIGHT_BOTTOM -> {
        start = (h - 1) * w + w - 1;
        dx = -w;
        dy = -1;
      }
      case LEFT_BOTTOM -> {
        start = w - 1;
        dx = w;
        dy = -1;
      }
      default -> throw new AssertionError(this);
    }
    BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    int i = 0;
    for (int y = 0; y < outH; y++) {
      int s = start + y * dy;
      for (int x = 0; x < outW; x++, s += dx) {
        dst[i++] = src[s];
      }
    }
    return out;
  }
}
