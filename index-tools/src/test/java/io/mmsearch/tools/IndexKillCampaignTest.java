package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmsearch.encoders.TinyBundles;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill -9 campaign: {@code mmsearch index} runs in a child JVM that is killed with SIGKILL again
 * and again, at random moments and right after Lucene announced the start of a commit or of a
 * merge, each child resuming the work of the one before. After every kill the index opens at its
 * last commit, CheckIndex finds it clean and no id occurs twice; committed work is never lost; and
 * a final run completes it with every image indexed exactly once.
 *
 * <p>Every moment is counted in the child writer's own steps (the events {@link ChildIndexer}
 * announces), never in wall time, so a loaded machine makes the campaign slower but not different:
 * it neither times out nor kills at other points. The only clock is a stall guard: a child that
 * announces nothing for {@value #STALL_MINUTES} minutes while alive fails the test.
 *
 * <p>{@code -Dmmsearch.kills=N} (default 6) and {@code -Dmmsearch.kills.seed=S} (default random,
 * printed) reproduce or extend the campaign.
 */
class IndexKillCampaignTest {
  private static final int KILLS = Integer.getInteger("mmsearch.kills", 6);
  private static final long SEED = Long.getLong("mmsearch.kills.seed", new Random().nextLong());

  private static final int STALL_MINUTES = 10;

  /** When a child is killed. */
  private enum Moment {
    /** 0-3 writer steps after the child's IndexWriter started its n-th commit (n in 1-20). */
    COMMIT,
    /** 0-3 writer steps after the child's IndexWriter started its n-th merge (n in 1-4). */
    MERGE,
    /** 0-199 writer steps after the child's n-th commit (n in 1-20). */
    ANY
  }

  @TempDir static Path root;
  static Path bundle;
  static Path images;
  static Set<String> corpus;

  @BeforeAll
  static void corpus() throws Exception {
    bundle = root.resolve("bundle");
    TinyBundles.write(bundle, 13);
    images = root.resolve("images");
    // Each child commits at most a few dozen documents before its kill (fewer than 20 commits, 4
    // merges, or 200 writer steps after a commit), so this is never exhausted before the last
    // kill.
    corpus = IndexChecks.shapes(images, 100 + 60 * KILLS);
  }

  @Test
  void killedAgainAndAgainTheIndexStaysIntactAndAFinalRunCompletesIt() throws Exception {
    Random random = new Random(SEED);
    Path index = root.resolve("index");
    Map<Moment, Integer> kills = new EnumMap<>(Moment.class);
    int committed = 0;
    for (int k = 0; k < KILLS; k++) {
      Moment moment = Moment.values()[k % Moment.values().length];
      ChildIndexer child =
          ChildIndexer.start(
              root.resolve("child-" + k + ".log"),
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
      boolean killed = awaitAndKill(child, moment, random);
      child.process().waitFor(); // killed, or done by itself: it ends either way
      if (killed) {
        kills.merge(moment, 1, Integer::sum);
      }
      Set<String> ids = IndexChecks.verifiedIds(index, corpus);
      assertTrue(
          ids.size() >= committed,
          "kill " + k + " lost committed documents: " + ids.size() + " < " + committed);
      committed = ids.size();
      System.out.printf("kill %d (%s): %d committed%n", k, killed ? moment : "none", committed);
      if (!killed) {
        break; // the child finished the corpus before the moment came
      }
    }
    int total = kills.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "kill -9 campaign: %d kills survived %s (-Dmmsearch.kills.seed=%d); %d of %d committed"
            + " before the final run%n",
        total, kills, SEED, committed, corpus.size());
    assertEquals(KILLS, total, "every child was killed while it was still indexing");

    JsonNode s =
        IndexCommandTest.index(
            images.toString(), "--index", index.toString(), "--model", bundle.toString());
    assertEquals(corpus.size(), s.get("found").asLong(), s.toString());
    assertEquals(committed, s.get("unchanged").asLong(), s.toString());
    assertEquals(corpus.size() - committed, s.get("added").asLong(), s.toString());
    assertEquals(0, s.get("rejected").asLong(), s.toString());
    assertEquals(corpus, IndexChecks.verifiedIds(index, corpus));
  }

  /**
   * Waits for the moment (the n-th commit or merge the child announces, n random, then a random
   * number of the writer's further steps) and sends SIGKILL; false if the child ended first.
   */
  private static boolean awaitAndKill(ChildIndexer child, Moment moment, Random random)
      throws InterruptedException {
    String wanted = moment == Moment.MERGE ? ChildIndexer.MERGE : ChildIndexer.COMMIT;
    int n = 1 + random.nextInt(moment == Moment.MERGE ? 4 : 20);
    int stepsAfter = random.nextInt(moment == Moment.ANY ? 200 : 4);
    boolean arrived = false;
    long lastEvent = System.nanoTime();
    while (true) {
      if (arrived && stepsAfter == 0) {
        if (!child.process().isAlive()) {
          return false;
        }
        child.signal(true); // SIGKILL: no shutdown hook, no finally block
        return true;
      }
      String event = child.nextEvent(100);
      if (event == null) {
        if (!child.process().isAlive()) {
          return false;
        }
        if (System.nanoTime() - lastEvent > TimeUnit.MINUTES.toNanos(STALL_MINUTES)) {
          throw new AssertionError(
              "the child announced no step of its writer for " + STALL_MINUTES + " minutes");
        }
        continue;
      }
      lastEvent = System.nanoTime();
      if (arrived) {
        stepsAfter--;
      } else if (event.equals(wanted) && --n == 0) {
        arrived = true;
      }
    }
  }
}
