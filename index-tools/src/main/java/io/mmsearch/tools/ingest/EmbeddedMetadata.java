package io.mmsearch.tools.ingest;

import java.util.List;

/**
 * Descriptive metadata embedded in an image file (EXIF, XMP, IPTC, PNG text chunks), as found by
 * {@link ImageProbe}.
 *
 * @param title the title ({@code dc:title}, PNG {@code Title}), or {@code null}
 * @param description the description ({@code dc:description}: EXIF ImageDescription, IPTC
 *     Caption/Abstract, XMP; PNG {@code Description}), or {@code null}
 * @param keywords keywords ({@code dc:subject}: IPTC Keywords, XMP; PNG {@code Keywords} split on
 *     commas), possibly empty
 */
public record EmbeddedMetadata(String title, String description, List<String> keywords) {

  /** Nothing embedded. */
  public static final EmbeddedMetadata NONE = new EmbeddedMetadata(null, null, List.of());

  public EmbeddedMetadata {
    keywords = List.copyOf(keywords);
  }

  /** The best caption: the description, else the title, else the empty string. */
  public String caption() {
    if (description != null && !description.isBlank()) {
      return description.strip();
    }
    return title == null ? "" : title.strip();
  }
}
