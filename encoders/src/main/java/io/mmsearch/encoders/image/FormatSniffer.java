package io.mmsearch.encoders.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * Says what a file that no image reader accepts actually is, using Tika's magic-byte detection, so
 * the error reads "not an image (detected text/plain)" or "unsupported format (detected
 * image/heic)" rather than just "cannot decode".
 */
final class FormatSniffer {
  private FormatSniffer() {}

  /** A reason for a non-empty file that no installed ImageIO reader recognises. */
  static String describeUnreadable(byte[] bytes) {
    MediaType type = detect(bytes);
    if (type == null || type.equals(MediaType.OCTET_STREAM)) {
      return "unsupported format (unrecognised content)";
    }
    String base = type.getBaseType().toString();
    if (type.getType().equals("image")) {
      return "unsupported format (detected " + base + ")";
    }
    if (type.getType().equals("text")) {
      return "not an image (detected text, " + base + ")";
    }
    return "not an image (detected " + base + ")";
  }

  private static MediaType detect(byte[] bytes) {
    // Only the bytes, never the name: a text file named .jpg must be reported as text.
    try {
      return MimeTypes.getDefaultMimeTypes()
          .detect(new ByteArrayInputStream(bytes), new Metadata());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
