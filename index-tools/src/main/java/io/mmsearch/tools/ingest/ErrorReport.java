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
 * "reason"}} per rejected item, plus counts per stage for the summary.
 *
 * <p>Thread-safe: any number of pipeline threads may {@link #add} concurrently; every line is
 * flushed at once so that a killed run still leaves a readable report. The file is replaced at the
 * start of each run. The caller closes the report.
 */
public final class ErrorReport implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final BufferedWriter out;
  private final Map<String, Long> perStage = new TreeMap<>();
  private final AtomicLong total = new AtomicLong();

  private ErrorReport(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  /** Creates (or truncates) the report at {@code file}, creating its folder if needed. */
  public static ErrorReport create(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new ErrorReport(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  /** Records a rejected item. */
  public void add(ManifestProblem problem) {
    ObjectNode line = JSON.createObjectNode();
    line.put("item", problem.item());
    line.put("stage", problem.stage());
    line.put("reason", problem.reason());
    synchronized (this) {
      perStage.merge(problem.stage(), 1L, Long::sum);
      try {
        out.write(line.toString());
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the error report " + file, e);
      }
    }
    total.incrementAndGet();
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
    out.close();
  }
}
