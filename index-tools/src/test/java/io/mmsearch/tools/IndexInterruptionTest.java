package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmsearch.encoders.TinyBundles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An indexing run killed with SIGKILL (or stopped with SIGTERM, as Ctrl-C does) leaves the index at
 * its last commit; running the same command again completes it with nothing lost or duplicated. The
 * run happens in a child JVM so it can really be killed.
 */
class IndexInterruptionTest {
  private static final int IMAGES = 200;

  @TempDir static Path root;
  static Path bundle;
  static Path images;

  @BeforeAll
  static void corpus() throws Exception {
    bundle = root.resolve("bundle");
    TinyBundles.write(bundle, 11);
    images = root.resolve("images");
    for (int i = 0; i < IMAGES; i++) {
      Color c = new Color((i * 37) % 256, (i * 91) % 256, (i * 53) % 256);
      TestImages.write(images.resolve("img-" + i + ".png"), TestImages.shape(c, i % 2 == 0, "png"));
    }
  }

  private static Process startIndexing(Path index) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(
        List.of(
            MmsearchCommand.class.getName(),
            "index",
            images.toString(),
            "--index",
            index.toString(),
            "--model",
            bundle.toString(),
            "--commit-every",
            "0",
            "--batch-size",
            "4",
            "--threads",
            "1",
            "--no-progress"));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(root.resolve("child-" + index.getFileName() + ".log").toFile())
        .start();
  }

  /** Waits until the child has committed at least {@code docs} documents, or has ended. */
  private static void awaitCommitted(Process p, Path index, int docs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (p.isAlive() && System.nanoTime() < deadline) {
      if (committedDocs(index) >= docs) {
        return;
      }
      Thread.sleep(50);
    }
  }

  private static int committedDocs(Path index) {
    try (var d = FSDirectory.open(index);
        var r = DirectoryReader.open(d)) {
      return r.numDocs();
    } catch (Exception notYet) {
      return 0;
    }
  }

  /** Live ids, checking that none occurs twice. */
  private static Set<String> liveIds(Path index) throws Exception {
    Set<String> ids = new HashSet<>();
    try (var d = FSDirectory.open(index);
        var r = DirectoryReader.open(d)) {
      for (var leaf : r.leaves()) {
        Bits live = leaf.reader().getLiveDocs();
        StoredFields stored = leaf.reader().storedFields();
        for (int i = 0; i < leaf.reader().maxDoc(); i++) {
          if (live == null || live.get(i)) {
            assertTrue(ids.add(stored.document(i).get("id")), "duplicate id");
          }
        }
      }
    }
    return ids;
  }

  private static void assertReRunCompletes(Path index, int committedBefore) throws Exception {
    JsonNode s =
        IndexCommandTest.index(
            images.toString(), "--index", index.toString(), "--model", bundle.toString());
    assertEquals(committedBefore, s.get("unchanged").asLong(), s.toString());
    assertEquals(IMAGES - committedBefore, s.get("added").asLong(), s.toString());
    assertEquals(IMAGES, liveIds(index).size());
  }

  @Test
  void killedRunResumesFromTheLastCommit() throws Exception {
    Path index = root.resolve("killed");
    Process p = startIndexing(index);
    awaitCommitted(p, index, 20);
    p.destroyForcibly(); // SIGKILL: no shutdown hook runs
    p.waitFor(30, TimeUnit.SECONDS);
    int committed = liveIds(index).size();
    assertTrue(committed > 0, "the child committed before it was killed");
    assertReRunCompletes(index, committed);
  }

  @Test
  void terminatedRunCommitsWhatItHasAndSaysSo() throws Exception {
    Path index = root.resolve("terminated");
    Process p = startIndexing(index);
    awaitCommitted(p, index, 20);
    boolean wasRunning = p.isAlive();
    p.destroy(); // SIGTERM, like Ctrl-C: the shutdown hook stops the pipeline and commits
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    if (wasRunning) {
      assertEquals(128 + 15, p.exitValue(), "the JVM exits with the signal's status");
      String log = java.nio.file.Files.readString(root.resolve("child-terminated.log"));
      assertTrue(log.contains("interrupted:"), log);
      assertTrue(log.contains("run the same command again"), log);
    }
    int committed = liveIds(index).size();
    assertTrue(committed >= 20);
    assertReRunCompletes(index, committed);
  }
}
