package io.mmsearch.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Streams a JSONL or CSV image manifest, yielding a {@link ManifestEntry} for every valid line and
 * a {@link ManifestProblem} for every rejected one; a bad line never stops the read.
 *
 * <p>Rejected, with the reason: a line that is not valid UTF-8 (decoded strictly), not a JSON
 * object (or a CSV record with more cells than the header), a missing or blank {@code id} or {@code
 * image}, a {@code caption}/{@code keywords} of the wrong JSON type, a duplicate {@code id} (the
 * first occurrence wins, later ones are rejected), an image path that cannot be parsed, and an
 * image path outside the manifest's folder:
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
 * <p>Paths are compared lexically after normalisation; symbolic links are not followed here (the
 * image file is never opened by this class).
 *
 * <p>An empty or missing caption is allowed: the entry then has no caption and the caller may take
 * one from the image's metadata. Blank lines are skipped silently. A UTF-8 byte order mark at the
 * start is ignored; lines may end in {@code \n} or {@code \r\n}.
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
  private static final CsvMapper CSV = new CsvMapper();

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
      Parse parse = new Parse(entries, problems);
      LineSource lines = new LineSource(in);
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

  /** A physical line of raw bytes and its 1-based number. */
  private record RawLine(byte[] bytes, long number, boolean tooLong) {}

  /** Splits a byte stream into lines without decoding them, so each line is decoded on its own. */
  private static final class LineSource {
    private final InputStream in;
    private long number;
    private boolean first = true;
    private byte[] buf = new byte[256];

    LineSource(InputStream in) {
      this.in = in;
    }

    /** The next line without its terminator, or null at the end. */
    RawLine next() throws IOException {
      int len = 0;
      boolean tooLong = false;
      int b = in.read();
      if (b < 0) {
        return null;
      }
      while (b >= 0 && b != '\n') {
        if (len < MAX_LINE_BYTES) {
          if (len == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(MAX_LINE_BYTES, buf.length * 2));
          }
          buf[len++] = (byte) b;
        } else {
          tooLong = true;
        }
        b = in.read();
      }
      if (len > 0 && buf[len - 1] == '\r') {
        len--;
      }
      int start = 0;
      if (first
          && len >= 3
          && (buf[0] & 0xFF) == 0xEF
          && (buf[1] & 0xFF) == 0xBB
          && (buf[2] & 0xFF) == 0xBF) {
        start = 3;
      }
      first = false;
      number++;
      return new RawLine(Arrays.copyOfRange(buf, start, len), number, tooLong);
    }
  }

  /** The state of one pass over the manifest. */
  private final class Parse {
    private final Consumer<? super ManifestEntry> entries;
    private final Consumer<? super ManifestProblem> problems;
    private final Set<String> seenIds = new HashSet<>();
    private final CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    Parse(Consumer<? super ManifestEntry> entries, Consumer<? super ManifestProblem> problems) {
      this.entries = entries;
      this.problems = problems;
    }

    void jsonl(LineSource lines) throws IOException {
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
        accept(object, line.number());
      }
    }

    void csv(LineSource lines) throws IOException {
      List<String> header = null;
      for (RawLine line = lines.next(); line != null; line = lines.next()) {
        long start = line.number();
        // A quoted cell may span lines: gather physical lines until the quotes balance. The quote
        // byte never occurs inside a multi-byte UTF-8 sequence, so counting bytes is safe.
        byte[] record = line.bytes();
        boolean tooLong = line.tooLong();
        while (!tooLong && countQuotes(record) % 2 == 1) {
          RawLine more = lines.next();
          if (more == null) {
            break;
          }
          tooLong = more.tooLong() || record.length + more.bytes().length + 1 > MAX_LINE_BYTES;
          byte[] joined = Arrays.copyOf(record, record.length + 1 + more.bytes().length);
          joined[record.length] = '\n';
          System.arraycopy(more.bytes(), 0, joined, record.length + 1, more.bytes().length);
          record = joined;
        }
        if (tooLong) {
          reject(start, "record is longer than " + MAX_LINE_BYTES + " bytes");
          continue;
        }
        if (countQuotes(record) % 2 == 1) {
          reject(start, "unterminated quoted cell at the end of the file");
          continue;
        }
        String text = decode(record, start);
        if (text == null || text.isBlank()) {
          continue;
        }
        List<String> cells;
        try {
          cells = parseCsvRecord(text);
        } catch (IOException e) {
          reject(start, "invalid CSV: " + e.getMessage());
          continue;
        }
        if (header == null) {
          header = cells.stream().map(String::strip).toList();
          if (!header.contains("id") || !header.contains("image")) {
            reject(start, "CSV header must name the columns id and image, got " + header);
            return;
          }
          continue;
        }
        if (cells.size() > header.size()) {
          reject(
              start, "record has " + cells.size() + " cells but the header names " + header.size());
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
        accept(object, start);
      }
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

    private void accept(ObjectNode object, long number) {
      String id = scalarText(object.get("id"));
      if (object.hasNonNull("id") && id == null) {
        reject(number, "id must be a string or a number, got " + describe(object.get("id")));
        return;
      }
      if (id == null || id.isBlank()) {
        reject(number, "missing id");
        return;
      }
      id = id.strip();
      JsonNode imageNode = object.get("image");
      if (imageNode == null
          || imageNode.isNull()
          || (imageNode.isTextual() && imageNode.asText().isBlank())) {
        reject(number, "id " + id + ": missing image");
        return;
      }
      if (!imageNode.isTextual()) {
        reject(number, "id " + id + ": image must be a string, got " + describe(imageNode));
        return;
      }
      Path image;
      try {
        image = resolveImage(imageNode.asText().strip());
      } catch (IllegalArgumentException e) {
        reject(number, "id " + id + ": " + e.getMessage());
        return;
      }
      List<String> captions;
      List<String> keywords;
      try {
        captions = textList(object.get("caption"), false, "caption");
        keywords = textList(object.get("keywords"), true, "keywords");
      } catch (IllegalArgumentException e) {
        reject(number, "id " + id + ": " + e.getMessage());
        return;
      }
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = field.getKey();
        JsonNode value = field.getValue();
        if (KNOWN_COLUMNS.contains(name) || value.isNull()) {
          continue;
        }
        metadata.put(name, value.isTextual() ? value.asText() : value.toString());
      }
      // Checked last so that a line rejected for another reason does not claim its id.
      if (!seenIds.add(id)) {
        reject(number, "duplicate id " + id + " (the first occurrence is kept)");
        return;
      }
      entries.accept(
          new ManifestEntry(
              id,
              image,
              captions,
              keywords,
              blankToNull(scalarText(object.get("class"))),
              blankToNull(scalarText(object.get("subclass"))),
              metadata,
              manifest,
              number));
    }

    private void reject(long number, String reason) {
      problems.accept(
          new ManifestProblem(manifest + ":" + number, ManifestProblem.STAGE_MANIFEST, reason));
    }
  }

  private static final Set<String> KNOWN_COLUMNS =
      Set.of("id", "image", "caption", "keywords", "class", "subclass");

  /** Resolves an image reference; throws with the reason when it is not acceptable. */
  Path resolveImage(String ref) {
    Path path;
    boolean relative;
    if (ref.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        path = Path.of(new URI(ref));
      } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
        throw new IllegalArgumentException("invalid file URI " + ref + ": " + e.getMessage());
      }
      relative = false;
    } else if (ref.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      throw new IllegalArgumentException(
          "unsupported image URI " + ref + " (only local paths and file: URIs are read)");
    } else {
      try {
        path = Path.of(ref);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("invalid image path " + ref + ": " + e.getReason());
      }
      relative = !path.isAbsolute();
    }
    Path resolved = folder.resolve(path).normalize();
    if (!resolved.startsWith(folder) && (relative || confine)) {
      throw new IllegalArgumentException(
          "image path "
              + ref
              + " is outside the manifest's folder "
              + folder
              + (relative ? "" : " (--confine is set)"));
    }
    return resolved;
  }

  private static int countQuotes(byte[] bytes) {
    int n = 0;
    for (byte b : bytes) {
      if (b == '"') {
        n++;
      }
    }
    return n;
  }

  private static List<String> parseCsvRecord(String text) throws IOException {
    try (var it =
        CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(text)) {
      if (!it.hasNextValue()) {
        return List.of();
      }
      String[] cells = (String[]) it.nextValue();
      return Arrays.asList(cells);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The text of a string or number node, null for anything else or a missing node. */
  private static String scalarText(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual() || node.isNumber()) {
      return node.asText();
    }
    return null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /**
   * A list of non-blank stripped strings from a string (split on commas when {@code commaList}) or
   * a JSON list of strings.
   */
  private static List<String> textList(JsonNode node, boolean commaList, String name) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isTextual()) {
      if (commaList) {
        for (String part : node.asText().split(",")) {
          addIfNotBlank(out, part);
        }
      } else {
        addIfNotBlank(out, node.asText());
      }
      return out;
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        if (!element.isTextual()) {
          throw new IllegalArgumentException(
              name + " must be a list of strings, found " + describe(element));
        }
        addIfNotBlank(out, element.asText());
      }
      return out;
    }
    throw new IllegalArgumentException(
        name + " must be a string or a list of strings, got " + describe(node));
  }

  private static void addIfNotBlank(List<String> out, String s) {
    if (!s.isBlank()) {
      out.add(s.strip());
    }
  }

  private static String describe(JsonNode node) {
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
