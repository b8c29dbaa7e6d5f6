package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.tests.store.MockDirectoryWrapper;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I/O failures injected by Lucene's {@link MockDirectoryWrapper} while {@code mmsearch index}
 * writes (random IOExceptions, a full disk, and failures aimed at adding, flushing, merging and
 * committing), each followed by a simulated power loss that drops every unsynced file: the index
 * always reopens at its last commit, {@link org.apache.lucene.index.CheckIndex} finds it clean, and
 * running the same indexing again completes it with nothing lost and nothing duplicated.
 *
 * <p>The writer is tuned to flush every few documents and merge eagerly, and commits after every
 * document or every second, so that every kind of write happens many times per run. The index lives
 * in memory (the wrapper tracks what was synced, which is what a power loss takes away), so the
 * many commits cost no fsync. {@code -Dmmsearch.faults.rounds=N} (default 2 per kind) and {@code
 * -Dmmsearch.faults.seed=S} (default random, printed) reproduce or extend a run.
 */
class IndexFaultInjectionTest {
  private static final int IMAGES = 40;
  private static final int ROUNDS = Integer.getInteger("mmsearch.faults.rounds", 2);
  private static final long SEED = Long.getLong("mmsearch.faults.seed", new Random().nextLong());

  @TempDir static Path root;
  static Path images;
  static Set<String> corpus;
  static DualEncoder encoders;
  static final AtomicInteger runs = new AtomicInteger();
  static final AtomicInteger failedRuns = new AtomicInteger();

  @BeforeAll
  static void corpus() throws Exception {
    Path bundle = root.resolve("bundle");
    TinyBundles.write(bundle, 5);
    images = root.resolve("images");
    corpus = IndexChecks.shapes(images, IMAGES);
    encoders = Encoders.open(EncoderCriteria.builder().bundle(bundle).intraOpThreads(1).build());
    System.out.printf("fault injection: -Dmmsearch.faults.seed=%d, %d rounds%n", SEED, ROUNDS);
  }

  @AfterAll
  static void report() throws Exception {
    encoders.close();
    System.out.printf(
        "fault injection: %d faulty runs, %d of them failed, all recovered%n",
        runs.get(), failedRuns.get());
  }

  @Test
  void randomIoExceptionsAnywhere() throws Exception {
    campaign("random", (mdw, r) -> mdw.setRandomIOExceptionRate(0.002 + r.nextDouble() * 0.02));
  }

  @Test
  void diskFullDuringTheRun() throws Exception {
    campaign("disk-full", (mdw, r) -> mdw.setMaxSizeInBytes(2_000 + r.nextInt(30_000)));
  }

  @Test
  void failureWhileAddingDocuments() throws Exception {
    campaign("add", aimedAt(false, "updateDocument", "addDocument"));
  }

  @Test
  void failureWhileFlushing() throws Exception {
    // Flushes run under DocumentsWriterPerThread and IndexingChain, package-private classes.
    campaign("flush", aimedAt(true, "flush"));
  }

  @Test
  void failureWhileMerging() throws Exception {
    campaign("merge", aimedAt(false, "merge"));
  }

  @Test
  void failureWhileCommitting() throws Exception {
    campaign("commit", aimedAt(false, "prepareCommitInternal", "startCommit", "finishCommit"));
  }

  /**
   * A fault that strikes once, at a random write made under one of these methods of {@link
   * IndexWriter} (of any class when {@code anyClass}): each byte written there fails with a
   * probability drawn per run, so the failure lands anywhere from the first commit to the last.
   */
  private static Fault aimedAt(boolean anyClass, String... methods) {
    return (mdw, r) -> {
      double p = 1.0 / (50 + r.nextInt(2_000));
      Random strike = new Random(r.nextLong());
      MockDirectoryWrapper.Failure once =
          new MockDirectoryWrapper.Failure() {
            @Override
            public void eval(MockDirectoryWrapper dir) throws IOException {
              if (doFail && under(anyClass, methods) && strike.nextDouble() < p) {
                doFail = false;
                throw new IOException("injected failure under " + String.join("/", methods));
              }
            }
          };
      once.setDoFail();
      mdw.failOn(once);
    };
  }

  private static boolean under(boolean anyClass, String... methods) {
    if (anyClass) {
      return LuceneTestCase.callStackContainsAnyOf(methods);
    }
    for (String method : methods) {
      if (LuceneTestCase.callStackContains(IndexWriter.class, method)) {
        return true;
      }
    }
    return false;
  }

  /** Sets up the faults of one run on the wrapper. */
  @FunctionalInterface
  private interface Fault {
    void arm(MockDirectoryWrapper dir, Random random);
  }

  private void campaign(String kind, Fault fault) throws Exception {
    Random random = new Random(SEED ^ kind.hashCode());
    for (int round = 0; round < ROUNDS; round++) {
      long seed = random.nextLong();
      try (Directory disk = new ByteBuffersDirectory()) {
        long start = System.nanoTime();
        Throwable failure =
            assertTimeoutPreemptively(
                Duration.ofMinutes(2), () -> faultyRun(disk, fault, seed), "a fault never hangs");
        runs.incrementAndGet();
        if (failure != null) {
          failedRuns.incrementAndGet();
          assertFalse(
              String.valueOf(failure.getMessage()).contains("open files"),
              "the failed run closed every file: " + failure);
        }
        String context = kind + " round " + round + " (seed " + seed + "): " + failure;
        Set<String> survived = IndexChecks.verifiedIds(disk, corpus);

        long faulty = System.nanoTime();
        IndexingSummary rerun = run(disk, d -> d, iwc -> {}, 60);
        System.out.printf(
            "%s round %d: faulty run %d ms (%s), %d survived, re-run %d ms%n",
            kind,
            round,
            (faulty - start) / 1_000_000,
            failure == null ? "held" : "failed",
            survived.size(),
            (System.nanoTime() - faulty) / 1_000_000);
        assertEquals(IMAGES, rerun.found(), context);
        assertEquals(0, rerun.rejected(), context);
        assertEquals(survived.size(), rerun.unchanged(), context);
        assertEquals(IMAGES - survived.size(), rerun.added() + rerun.updated(), context);
        assertEquals(corpus, IndexChecks.verifiedIds(disk, corpus), context);
      }
    }
  }

  /** Indexes the corpus through a faulty directory; returns the failure, or null if it held. */
  private static Throwable faultyRun(Directory disk, Fault fault, long seed) {
    Random random = new Random(seed);
    try {
      run(
          disk,
          d -> {
            MockDirectoryWrapper mdw = new MockDirectoryWrapper(new Random(seed), d);
            mdw.setThrottling(MockDirectoryWrapper.Throttling.NEVER);
            mdw.setCheckIndexOnClose(false); // checked after the power loss
            mdw.setAssertNoUnrefencedFilesOnClose(false);
            fault.arm(mdw, random);
            return new PowerLossOnClose(mdw);
          },
          iwc -> {
            iwc.setMaxBufferedDocs(2 + random.nextInt(6));
            LogDocMergePolicy merges = new LogDocMergePolicy();
            merges.setMergeFactor(2 + random.nextInt(3));
            merges.setMinMergeDocs(1);
            iwc.setMergePolicy(merges);
          },
          // A commit after every document, or every second so that documents pile up and flush
          // while they are added.
          random.nextBoolean() ? 0 : 1);
      return null;
    } catch (Exception | AssertionError e) {
      return e;
    }
  }

  /**
   * Closes like a machine that loses power: every file not yet fsynced is corrupted or dropped
   * ({@link MockDirectoryWrapper#crash()}) before the wrapper closes.
   */
  private static final class PowerLossOnClose extends FilterDirectory {
    PowerLossOnClose(MockDirectoryWrapper in) {
      super(in);
    }

    @Override
    public void close() throws IOException {
      MockDirectoryWrapper mdw = (MockDirectoryWrapper) in;
      mdw.crash();
      mdw.clearCrash();
      mdw.close();
    }
  }

  /**
   * Runs the pipeline on the in-memory "disk" as the tool would on a folder; {@code wrap} puts the
   * fault injection around it. The pipeline closes what it opens: the disk itself stays open.
   */
  private static IndexingSummary run(
      Directory disk,
      UnaryOperator<Directory> wrap,
      Consumer<org.apache.lucene.index.IndexWriterConfig> tuning,
      long commitSeconds)
      throws IOException {
    try (ErrorReport errors = ErrorReport.create(root.resolve("errors.jsonl"))) {
      return IndexingPipeline.builder()
          .inputs(List.of(images))
          .index(root.resolve("unused"))
          .encoders(encoders)
          .errors(errors)
          .threads(1)
          .batchSize(4)
          .commitIntervalSeconds(commitSeconds)
          .directoryOpener(folder -> wrap.apply(new StaysOpen(disk)))
          .writerTuning(tuning)
          .build()
          .run();
    }
  }

  /** The disk as the pipeline sees it: closing it leaves the files in place. */
  private static final class StaysOpen extends FilterDirectory {
    StaysOpen(Directory in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
