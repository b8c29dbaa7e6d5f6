package io.mmsearch.manifest;

import static io.mmsearch.manifest.FieldValues.describe;
import static io.mmsearch.manifest.FieldValues.shown;
import static io.mmsearch.manifest.FieldValues.shownList;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.manifest.ManifestLines.RawLine;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Streams a JSONL or CSV image manifest, yielding a {@link ManifestEntry} for every valid line and
 * a {@link ManifestProblem} for every rejected one; a bad line never stops the read.
 *
 * <p>Rejected, with the reason: a line that is not valid UTF-8 (decoded strictly), not a JSON
 * object, a malformed CSV record or one with more cells than the header (see {@link CsvRecords} for
 * the dialect and how a malformed record is skipped without losing the rows after it), a line over
 * {@link #MAX_LINE_BYTES}, a missing or blank {@code id} or {@code image}, a {@code caption}/{@code
 * keywords} of the wrong JSON type, a duplicate {@code id} (the first occurrence wins, later ones
 * are rejected), an image path that cannot be parsed, and an image path outside the manifest's
 * folder:
 *
 * <ul>
 *   <li>a <b>relative</b> path that escapes the manifest's folder with {@code ..} is always
 *       rejected: a manifest moved together with its images must not reach elsewhere;
 *   <li>an <b>absolute</b> path or a {@code file:} URI states the user's intent explicitly and is
 *       accepted, unless the reader is built with {@link Builder#confine(boolean) confine(true)}
 *       (the {@code --confine} option of the command line), which rejects anything outside the
 *       manifest's folder;
 *   <li>URIs with another scheme ({@code http:}, ...) are rejected: nothing is downloaded.
 * </ul>
 *
 * <p>Paths are compared lexically after normalisation. When confined, they are compared again with
 * every symbolic link resolved (the folder's too), so a link inside the folder that points outside
 * it is rejected as well; the image file itself is never opened by this class, and a caller that
 * reads it later should re-check (a link can change in between).
 *
 * <p>An empty or missing caption is allowed: the entry then has no caption and the caller may take
 * one from the image's metadata. Blank lines are skipped silently. A UTF-8 byte order mark at the
 * start is ignored; lines may end in {@code \n} or {@code \r\n}.
 *
 * <p>Every line is accounted for: each non-blank line is the CSV header or lies in the span of
 * exactly one entry ({@link ManifestEntry#line()} to {@link ManifestEntry#lastLine()}) or one
 * problem (named {@code file:line}, or {@code file:first-last} for a record spanning lines). A
 * malformed CSV record claims its first line only; the lines after it are read again. A CSV file
 * whose header lacks {@code id} or {@code image} is refused as a whole, by one problem at the
 * header's line saying how many lines were not read.
 *
 * <p>Memory: the reader holds one line (at most {@link #MAX_LINE_BYTES}) and the set of ids seen so
 * far. Instances are immutable; {@link #read} may be called repeatedly but is not meant to be
 * called concurrently from several threads on the same consumers.
 */
public final class ManifestReader {

  /** Lines longer than this many bytes are rejected (and skipped) without being parsed. */
  public static final int MAX_LINE_BYTES = 1 << 20;

  /** The manifest file formats. */
  public enum Format {
    /** One JSON object per line. */
    JSONL,
    /** Comma-separated values with a header row naming the columns. */
    CSV;

    /** The format a file name implies: {@code .csv} is CSV, anything else JSONL. */
    public static Format of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      return name.endsWith(".csv") ? CSV : JSONL;
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Path manifest;
  private final Path folder;
  private final Format format;
  private final boolean confine;

  private ManifestReader(Builder b) {
    this.manifest = b.manifest.toAbsolutePath().normalize();
    this.folder = manifest.getParent();
    this.format = b.format != null ? b.format : Format.of(manifest);
    this.confine = b.confine;
  }

  /** Starts a reader for {@code manifest}; the format follows from the file name by default. */
  public static Builder builder(Path manifest) {
    return new Builder(manifest);
  }

  /** Reads {@code manifest} with the defaults (format by extension, not confined). */
  public static ManifestReader of(Path manifest) {
    return builder(manifest).build();
  }

  /** Whether a file name looks like a manifest: {@code .jsonl}, {@code .ndjson} or {@code .csv}. */
  public static boolean looksLikeManifest(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".csv");
  }

  /** The manifest file, absolute and normalised. */
  public Path manifest() {
    return manifest;
  }

  /** The format this reader parses. */
  public Format format() {
    return format;
  }

  /**
   * Streams the whole manifest, calling {@code entries} for each valid line and {@code problems}
   * for each rejected one, in file order.
   *
   * @throws IOException if the manifest itself cannot be opened or read (a bad line is never an
   *     exception)
   */
  public void read(
      Consumer<? super ManifestEntry> entries, Consumer<? super ManifestProblem> problems)
      throws IOException {
    Objects.requireNonNull(entries, "entries");
    Objects.requireNonNull(problems, "problems");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(manifest), 1 << 16)) {
      Parse parse = new Parse(entries, problems, new ImageReferences(folder, confine));
      ManifestLines lines = new ManifestLines(in, MAX_LINE_BYTES);
      if (format == Format.JSONL) {
        parse.jsonl(lines);
      } else {
        parse.csv(lines);
      }
    }
  }

  /** Reads the whole manifest into memory; for small manifests and tests. */
  public Contents readAll() throws IOException {
    List<ManifestEntry> entries = new ArrayList<>();
    List<ManifestProblem> problems = new ArrayList<>();
    read(entries::add, problems::add);
    return new Contents(entries, problems);
  }

  /**
   * Everything a manifest holds.
   *
   * @param entries the valid lines in file order
   * @param problems the rejected lines in file order
   */
  public record Contents(List<ManifestEntry> entries, List<ManifestProblem> problems) {
    public Contents {
      entries = List.copyOf(entries);
      problems = List.copyOf(problems);
    }
  }

  /** Options of a {@link ManifestReader}. */
  public static final class Builder {
    private final Path manifest;
    private Format format;
    private boolean confine;

    private Builder(Path manifest) {
      this.manifest = Objects.requireNonNull(manifest, "manifest");
    }

    /** Overrides the format implied by the file name. */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * When true, absolute paths and {@code file:} URIs must also lie inside the manifest's folder.
     * Relative paths escaping the folder are rejected either way. Default false.
     */
    public Builder confine(boolean confine) {
      this.confine = confine;
      return this;
    }

    public ManifestReader build() {
      return new ManifestReader(this);
    }
  }

  /** The state of one pass over the manifest. */
  private final class Parse {
    private final Consumer<? super ManifestEntry> entries;
    private final Consumer<? super ManifestProblem> problems;
    private final ImageReferences images;
    private final Set<String> seenIds = new HashSet<>();
    private final CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    Parse(
        Consumer<? super ManifestEntry> entries,
        Consumer<? super ManifestProblem> problems,
        ImageReferences images) {
      this.entries = entries;
      this.problems = problems;
      this.images = images;
    }

    void jsonl(ManifestLines lines) throws IOException {
      for (RawLine line = lines.next(); line != null; line = lines.next()) {
        if (line.tooLong()) {
          reject(line.number(), "line is longer than " + MAX_LINE_BYTES + " bytes");
          continue;
        }
        String text = decode(line.bytes(), line.number());
        if (text == null || text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          reject(line.number(), "invalid JSON: " + e.getOriginalMessage());
          continue;
        }
        if (!(node instanceof ObjectNode object)) {
          reject(line.number(), "expected a JSON object, got " + describe(node));
          continue;
        }
        acceptOrReport(object, line.number(), line.number());
      }
    }

    void csv(ManifestLines lines) throws IOException {
      CsvRecords records = new CsvRecords(lines, MAX_LINE_BYTES);
      List<String> header = null;
      for (CsvRecords.Outcome o = records.next(); o != null; o = records.next()) {
        if (o instanceof CsvRecords.Malformed m) {
          reject(m.line(), m.reason());
          continue;
        }
        CsvRecords.Record r = (CsvRecords.Record) o;
        List<String> cells = r.cells();
        if (header == null) {
          header = cells.stream().map(String::strip).toList();
          String problem = headerProblem(header);
          if (problem != null) {
            long rest = lines.skipRest();
            reject(
                r.firstLine(),
                r.lastLine(),
                problem + "; the file is not read further (" + rest + " more lines)");
            return;
          }
          records.expectCells(header.size());
          continue;
        }
        if (cells.size() > header.size()) {
          reject(
              r.firstLine(),
              r.lastLine(),
              "record has " + cells.size() + " cells but the header names " + header.size());
          continue;
        }
        ObjectNode object = JSON.createObjectNode();
        for (int i = 0; i < cells.size(); i++) {
          String cell = cells.get(i);
          if (cell.isEmpty()) {
            continue;
          }
          String column = header.get(i);
          object.set(column, csvCell(column, cell));
        }
        acceptOrReport(object, r.firstLine(), r.lastLine());
      }
    }

    private static String headerProblem(List<String> header) {
      if (!header.contains("id") || !header.contains("image")) {
        return "CSV header must name the columns id and image, got " + shownList(header);
      }
      Set<String> seen = new HashSet<>();
      for (String column : header) {
        if (!seen.add(column)) {
          return "CSV header names the column '" + shown(column) + "' twice";
        }
      }
      return null;
    }

    /** A CSV cell as JSON: a caption or keywords cell written as a JSON list is read as a list. */
    private JsonNode csvCell(String column, String cell) {
      if ((column.equals("caption") || column.equals("keywords")) && cell.strip().startsWith("[")) {
        try {
          JsonNode list = JSON.readTree(cell);
          if (list.isArray()) {
            return list;
          }
        } catch (JsonProcessingException e) {
          // Not JSON after all: keep the cell as plain text.
        }
      }
      return JSON.getNodeFactory().textNode(cell);
    }

    private String decode(byte[] bytes, long number) {
      try {
        return utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        reject(number, "not valid UTF-8 (" + e.getMessage() + ")");
        return null;
      }
    }

    /**
     * {@link #accept}, with any failure the checks did not foresee reported as a rejected line: one
     * line never ends the read.
     */
    private void acceptOrReport(ObjectNode object, long number, long lastLine) {
      try {
        accept(object, number, lastLine);
      } catch (RuntimeException e) {
        reject(number, lastLine, "cannot read this line (" + e + ")");
      }
    }

    private void accept(ObjectNode object, long number, long lastLine) {
      ManifestEntry entry;
      try {
        entry = ManifestRecord.toEntry(object, images, manifest, number, lastLine);
      } catch (ManifestRecord.RefusedRecordException e) {
        reject(number, lastLine, e.getMessage());
        return;
      }
      // Checked last so that a line rejected for another reason does not claim its id.
      if (!seenIds.add(entry.id())) {
        reject(
            number,
            lastLine,
            "duplicate id " + shown(entry.id()) + " (the first occurrence is kept)");
        return;
      }
      entries.accept(entry);
    }

    private void reject(long number, String reason) {
      reject(number, number, reason);
    }

    /** Rejects the record on lines {@code first} to {@code last}, named {@code file:first-last}. */
    private void reject(long first, long last, String reason) {
      problems.accept(
          new ManifestProblem(
              ManifestEntry.location(manifest, first, last),
              ManifestProblem.STAGE_MANIFEST,
              reason));
    }
  }
}
