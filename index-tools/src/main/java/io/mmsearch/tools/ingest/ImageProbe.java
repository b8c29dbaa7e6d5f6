package io.mmsearch.tools.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.TikaException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.Office;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Apache Tika applied to image files: the real media type from the bytes, and the descriptive
 * metadata (title, description, keywords) embedded as EXIF, XMP, IPTC or PNG text chunks.
 *
 * <p>Detection looks at the content only (magic bytes), never at the file name, so a text file
 * named {@code .png} is not an image and a PNG named {@code .jpg} is a PNG.
 *
 * <p>Thread-safe: Tika's detector and parser are shared by all threads.
 */
public final class ImageProbe {
  // PNG text chunks arrive as "keyword=Title, value=A red apple[, encoding=..., ...]".
  private static final Pattern PNG_TEXT_ENTRY =
      Pattern.compile(
          "^keyword=(.*?), value=(.*?)(?:, (?:encoding|compression|compressionFlag"
              + "|compressionMethod|languageTag|translatedKeyword)=.*)?$",
          Pattern.DOTALL);
  private static final List<String> PNG_TEXT_KEYS =
      List.of("tEXt tEXtEntry", "iTXt iTXtEntry", "zTXt zTXtEntry");

  private final Detector detector;
  private final Parser parser;

  /** A probe with Tika's default configuration (every parser on the class path). */
  public ImageProbe() {
    TikaConfig config = TikaConfig.getDefaultConfig();
    this.detector = config.getDetector();
    this.parser = new AutoDetectParser(config);
  }

  /**
   * The media type the bytes really are, for example {@code image/png}, {@code text/plain} or
   * {@code application/octet-stream} when nothing matches.
   */
  public String detectMediaType(byte[] bytes) {
    try (TikaInputStream in = TikaInputStream.get(bytes)) {
      return detector.detect(in, new Metadata()).getBaseType().toString();
    } catch (IOException e) {
      // Detection reads from memory; an IOException here means Tika gave up on the bytes.
      return "application/octet-stream";
    }
  }

  /** Whether a detected media type is an image this project can decode. */
  public static boolean isImage(String mediaType) {
    return mediaType.toLowerCase(Locale.ROOT).startsWith("image/");
  }

  /**
   * Reads the descriptive metadata. A file whose metadata cannot be parsed yields {@link
   * EmbeddedMetadata#NONE}: missing metadata never rejects an image (decoding decides that).
   */
  public EmbeddedMetadata readMetadata(byte[] bytes) {
    Metadata m = new Metadata();
    try (TikaInputStream in = TikaInputStream.get(bytes)) {
      parser.parse(in, new DefaultHandler(), m, new ParseContext());
    } catch (IOException | SAXException | TikaException | RuntimeException e) {
      // Best effort: keep whatever was read before the failure.
    }
    String title = first(m.get(TikaCoreProperties.TITLE));
    String description = first(m.get(TikaCoreProperties.DESCRIPTION));
    Set<String> keywords = new LinkedHashSet<>();
    addAll(keywords, m.getValues(TikaCoreProperties.SUBJECT));
    addAll(keywords, m.getValues(Office.KEYWORDS));
    for (String key : PNG_TEXT_KEYS) {
      for (String entry : m.getValues(key)) {
        Matcher e = PNG_TEXT_ENTRY.matcher(entry);
        if (!e.matches()) {
          continue;
        }
        String keyword = e.group(1).strip().toLowerCase(Locale.ROOT);
        String value = e.group(2).strip();
        switch (keyword) {
          case "title" -> title = title == null ? first(value) : title;
          case "description", "comment" ->
              description = description == null ? first(value) : description;
          case "keywords" -> addAll(keywords, value.split(","));
          default -> {}
        }
      }
    }
    if (title == null && description == null && keywords.isEmpty()) {
      return EmbeddedMetadata.NONE;
    }
    return new EmbeddedMetadata(title, description, new ArrayList<>(keywords));
  }

  private static String first(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static void addAll(Set<String> out, String[] values) {
    for (String v : values) {
      for (String part : v.split("[,;]")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
  }
}
