package io.mmsearch.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One valid manifest line. Immutable and thread-safe.
 *
 * @param id the unique id of the image within its manifest, never blank
 * @param image the image file, absolute and normalised (relative paths are resolved against the
 *     manifest's folder); the file itself has not been opened or checked
 * @param captions the captions in manifest order; empty when the manifest gave none or only blank
 *     ones
 * @param keywords the keywords in manifest order, trimmed, without empty ones
 * @param className the {@code class} column, or {@code null} when absent or blank
 * @param subclass the {@code subclass} column, or {@code null} when absent or blank
 * @param metadata every other column by name; non-string JSON values are kept as JSON text
 * @param manifest the manifest file the entry came from
 * @param line the 1-based line of the manifest where the entry starts
 * @param lastLine the line where it ends: {@code line} itself, except for a CSV record whose quoted
 *     cell spans lines
 */
public record ManifestEntry(
    String id,
    Path image,
    List<String> captions,
    List<String> keywords,
    String className,
    String subclass,
    Map<String, String> metadata,
    Path manifest,
    long line,
    long lastLine) {

  public ManifestEntry {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    Objects.requireNonNull(image, "image");
    captions = List.copyOf(captions);
    keywords = List.copyOf(keywords);
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(manifest, "manifest");
    if (lastLine < line) {
      throw new IllegalArgumentException("lastLine " + lastLine + " is before line " + line);
    }
  }

  /** The first caption, or the empty string when there is none. */
  public String caption() {
    return captions.isEmpty() ? "" : captions.get(0);
  }

  /**
   * Where this entry came from, as {@code manifest-file:line} (or {@code manifest-file:line-last}
   * for a record spanning lines), for error reports.
   */
  public String location() {
    return location(manifest, line, lastLine);
  }

  static String location(Path manifest, long line, long lastLine) {
    return manifest + ":" + line + (lastLine > line ? "-" + lastLine : "");
  }
}
