package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmsearch.encoders.TinyBundles;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An indexing run stopped with SIGTERM (as Ctrl-C does) commits what it has, says so, and exits
 * with the signal's status; running the same command again completes it with nothing lost or
 * duplicated. The run happens in a child JVM so it can really be signalled. (SIGKILL, which gives
 * the run no chance to commit, is {@link IndexKillCampaignTest}'s subject.)
 */
class IndexInterruptionTest {
  private static final int IMAGES = 200;

  @TempDir static Path root;
  static Path bundle;
  static Path images;
  static Set<String> corpus;

  @BeforeAll
  static void corpus() throws Exception {
    bundle = root.resolve("bundle");
    TinyBundles.write(bundle, 11);
    images = root.resolve("images");
    corpus = IndexChecks.shapes(images, IMAGES);
  }

  /** Waits until the child has committed at least {@code docs} documents, or has ended. */
  private static void awaitCommitted(Process p, Path index, int docs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (p.isAlive() && System.nanoTime() < deadline) {
      try {
        if (IndexCommandTest.liveDocs(index) >= docs) {
          return;
        }
      } catch (Exception notYet) {
        // no commit yet
      }
      Thread.sleep(50);
    }
  }

  @Test
  void terminatedRunCommitsWhatItHasAndSaysSo() throws Exception {
    Path index = root.resolve("terminated");
    Path log = root.resolve("child-terminated.log");
    ChildIndexer child =
        ChildIndexer.start(
            log,
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
            "--no-progress");
    Process p = child.process();
    awaitCommitted(p, index, 20);
    boolean wasRunning = p.isAlive();
    child.signal(false); // SIGTERM, like Ctrl-C: the shutdown hook stops the pipeline, commits
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    if (wasRunning) {
      assertEquals(128 + 15, p.exitValue(), "the JVM exits with the signal's status");
      String output = child.output();
      assertTrue(output.contains("interrupted:"), output);
      assertTrue(output.contains("run the same command again"), output);
    }
    int committed = IndexChecks.verifiedIds(index, corpus).size();
    assertTrue(committed >= 20);
    JsonNode s =
        IndexCommandTest.index(
            images.toString(), "--index", index.toString(), "--model", bundle.toString());
    assertEquals(committed, s.get("unchanged").asLong(), s.toString());
    assertEquals(IMAGES - committed, s.get("added").asLong(), s.toString());
    assertEquals(corpus, IndexChecks.verifiedIds(index, corpus));
  }
}
