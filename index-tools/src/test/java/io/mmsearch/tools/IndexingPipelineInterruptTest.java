package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupting the thread that runs the pipeline ends the run promptly: what was written is
 * committed, the index is intact, the interrupt is not swallowed, and the next run completes it.
 * The interrupt arrives while the index is being written, where Lucene's file channels would close
 * under an interrupted thread.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IndexingPipelineInterruptTest {
  private static final int IMAGES = 40;

  @TempDir Path root;

  @Test
  void anInterruptWhileTheIndexIsWrittenEndsTheRunWithEverythingWrittenCommitted()
      throws Exception {
    Path bundle = root.resolve("bundle");
    TinyBundles.write(bundle, 5);
    Path images = root.resolve("images");
    Set<String> corpus = IndexChecks.shapes(images, IMAGES);
    Path index = root.resolve("index");
    WriteGate gate = new WriteGate();

    IndexingSummary stopped;
    AtomicBoolean interruptKept = new AtomicBoolean();
    try (DualEncoder encoders = Encoders.open(EncoderCriteria.builder().bundle(bundle).build());
        ErrorReport errors = ErrorReport.create(root.resolve("errors.jsonl"))) {
      IndexingPipeline pipeline =
          IndexingPipeline.builder()
              .inputs(List.of(images))
              .index(index)
              .encoders(encoders)
              .errors(errors)
              .threads(1)
              .batchSize(2)
              .commitIntervalSeconds(0)
              .directoryOpener(folder -> gate.wrap(FSDirectory.open(folder)))
              .build();
      CompletableFuture<Thread> runner = new CompletableFuture<>();
      CompletableFuture<IndexingSummary> run =
          CompletableFuture.supplyAsync(
              () -> {
                runner.complete(Thread.currentThread());
                try {
                  IndexingSummary s = pipeline.run();
                  interruptKept.set(Thread.interrupted());
                  return s;
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              },
              r -> new Thread(r, "runs-the-pipeline").start());

      assertTrue(gate.writing.await(60, TimeUnit.SECONDS), "the index is written");
      runner.get().interrupt(); // while a segment or commit file is being written
      gate.open.countDown();
      stopped = run.get(120, TimeUnit.SECONDS);
    }

    assertTrue(stopped.stopped(), stopped.toString());
    assertTrue(interruptKept.get(), "the interrupt status is set again when run() returns");
    Set<String> committed = IndexChecks.verifiedIds(index, corpus);
    assertEquals(stopped.added(), committed.size(), "everything written is committed");
    assertTrue(committed.size() < IMAGES, "the run stopped early: " + committed.size());

    JsonNode rest =
        IndexCommandTest.index(
            images.toString(), "--index", index.toString(), "--model", bundle.toString());
    assertEquals(corpus, IndexChecks.verifiedIds(index, corpus), "the next run completes it");
    assertEquals(committed.size(), rest.get("unchanged").asLong(), rest.toString());
  }

  /** Holds the first file the index writer creates until the test has interrupted the run. */
  private static final class WriteGate {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);

    Directory wrap(Directory in) {
      return new FilterDirectory(in) {
        @Override
        public IndexOutput createOutput(String name, IOContext context) throws IOException {
          if (!name.equals("write.lock")) {
            writing.countDown();
            boolean interrupted = false;
            while (true) {
              try {
                open.await();
                break;
              } catch (InterruptedException e) {
                interrupted = true; // the run's interrupt: keep it for the write that follows
              }
            }
            if (interrupted) {
              Thread.currentThread().interrupt();
            }
          }
          return super.createOutput(name, context);
        }
      };
    }
  }
}
