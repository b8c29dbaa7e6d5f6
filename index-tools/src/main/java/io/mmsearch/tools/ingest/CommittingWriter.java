package io.mmsearch.tools.ingest;

import static io.mmsearch.tools.ingest.IndexingPipeline.STAGE_VALIDATE;

import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.schema.InvalidDocumentException;
import io.mmsearch.tools.ingest.BatchEncoder.Pending;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The single writer of an indexing run: upserts the documents the workers encode, one at a time in
 * the order they arrive, and commits every commit interval. A document Lucene refuses on its own (a
 * limit the validator does not know) is a rejection; a failure of the writer itself (disk, a tragic
 * event) is the run's failure, after which the queue is still drained so that no worker is left
 * blocked. Runs on one thread, which must not be interrupted while it writes (Lucene's file
 * channels would close): the pipeline's own thread, never the caller's.
 */
final class CommittingWriter {
  private static final long POLL_MILLIS = 50;

  private final MultimodalIndexWriter writer;
  private final long commitIntervalNanos;
  private final IngestCounters counters;

  CommittingWriter(
      MultimodalIndexWriter writer, long commitIntervalNanos, IngestCounters counters) {
    this.writer = writer;
    this.commitIntervalNanos = commitIntervalNanos;
    this.counters = counters;
  }

  /**
   * Writes until every producer has finished and the queue is empty.
   *
   * @param failure set to the first failure of the writer (then {@code onFailure} runs once)
   * @param onFailure stops the run
   */
  void drain(
      BlockingQueue<Pending> documents,
      CountDownLatch producersDone,
      AtomicReference<Throwable> failure,
      Runnable onFailure) {
    long lastCommit = System.nanoTime();
    while (true) {
      Pending next;
      try {
        next = documents.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // Nobody interrupts this thread; if someone did, stopping is the answer, and the drain
        // goes on so that the workers finish.
        onFailure.run();
        continue;
      }
      if (next == null) {
        if (producersDone.getCount() == 0 && documents.isEmpty()) {
          return;
        }
      } else if (failure.get() == null) {
        write(next, failure, onFailure);
      }
      if (failure.get() == null && System.nanoTime() - lastCommit >= commitIntervalNanos) {
        try {
          writer.commit();
        } catch (IOException | RuntimeException e) {
          fail(e, failure, onFailure);
        }
        lastCommit = System.nanoTime();
      }
    }
  }

  private void write(Pending p, AtomicReference<Throwable> failure, Runnable onFailure) {
    try {
      writer.upsert(p.document());
      (p.existed() ? counters.updated : counters.added).incrementAndGet();
      counters.done.incrementAndGet();
    } catch (InvalidDocumentException e) {
      counters.reject(p.itemName(), STAGE_VALIDATE, e.reason());
    } catch (IllegalArgumentException e) {
      if (writer.indexWriter().getTragicException() != null) {
        fail(e, failure, onFailure);
      } else {
        // Lucene refused this one document and dropped it whole; the writer is fine.
        counters.reject(p.itemName(), STAGE_VALIDATE, "refused by Lucene: " + e.getMessage());
      }
    } catch (IOException | RuntimeException e) {
      fail(e, failure, onFailure);
    }
  }

  private static void fail(Throwable e, AtomicReference<Throwable> failure, Runnable onFailure) {
    failure.compareAndSet(null, e);
    onFailure.run();
  }
}
