package io.mmsearch.tools.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.manifest.ManifestProblem;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The error report of one indexing run: a JSONL file with one object {@code {"item", "stage",
 * "reason"}} per rejected item, plus counts per stage for the summary; an item indexed without a
 * part that failed (a caption that could not be encoded) has a line too, marked {@code
 * "indexed_without"}.
 *
 * <p>Thread-safe: any number of pipeline threads may {@link #add} concurrently; every line is
 * flushed at once so that a killed run still leaves a readable report. The file is replaced when
 * the run starts ({@link #start()}, which the pipeline calls once it holds the index's write lock,
 * so a second run refused by the lock leaves the first run's report alone). The caller closes the
 * report.
 */
public final class ErrorReport implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longest item name or reason written, in characters. */
  static final int MAX_FIELD_CHARS = 2000;

  private final Path file;
  private BufferedWriter out;
  private final Map<String, Long> perStage = new TreeMap<>();
  private final AtomicLong total = new AtomicLong();

  private ErrorReport(Path file) {
    this.file = file;
  }

  /**
   * A report to be written at {@code file}, creating its folder if needed; the file itself is
   * created (or truncated) by {@link #start()} or the first {@link #add}.
   */
  public static ErrorReport create(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new ErrorReport(file);
  }

  /** Creates or truncates the file, if that has not happened yet. */
  public synchronized void start() throws IOException {
    if (out == null) {
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }
  }

  /**
   * Records a rejected item. The item name and the reason are cut at {@value #MAX_FIELD_CHARS}
   * characters, so that a hostile input cannot turn the report into a copy of itself.
   */
  public void add(ManifestProblem problem) {
    ObjectNode line = JSON.createObjectNode();
    line.put("item", cut(problem.item()));
    line.put("stage", problem.stage());
    line.put("reason", cut(problem.reason()));
    synchronized (this) {
      perStage.merge(problem.stage(), 1L, Long::sum);
      write(line);
    }
    total.incrementAndGet();
  }

  /**
   * Records an item that was indexed, but without a part that failed (its caption vector): {@code
   * {"item", "stage", "reason", "indexed_without"}}. Not a rejection: not in {@link #count()} or
   * {@link #countsPerStage()}.
   */
  public void addIndexedWithout(String item, String stage, String reason, String missingPart) {
    ObjectNode line = JSON.createObjectNode();
    line.put("item", cut(item));
    line.put("stage", stage);
    line.put("reason", cut(reason));
    line.put("indexed_without", missingPart);
    synchronized (this) {
      write(line);
    }
  }

  private void write(ObjectNode line) {
    try {
      start();
      out.write(line.toString());
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the error report " + file, e);
    }
  }

  private static String cut(String s) {
    if (s.length() <= MAX_FIELD_CHARS) {
      return s;
    }
    int end = MAX_FIELD_CHARS;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "... (" + s.length() + " characters)";
  }

  /** Records a rejected item. */
  public void add(String item, String stage, String reason) {
    add(new ManifestProblem(item, stage, reason));
  }

  /** Number of items reported so far. */
  public long count() {
    return total.get();
  }

  /** Counts per stage, sorted by stage name; a snapshot. */
  public synchronized Map<String, Long> countsPerStage() {
    return java.util.Collections.unmodifiableMap(new TreeMap<>(perStage));
  }

  /** The report file. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
