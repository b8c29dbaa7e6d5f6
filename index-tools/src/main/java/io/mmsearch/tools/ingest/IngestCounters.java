package io.mmsearch.tools.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one indexing run has done so far, counted by every stage of the pipeline, and the one place
 * that sends a rejected item to the {@link ErrorReport}. Thread-safe.
 */
final class IngestCounters {
  final AtomicLong found = new AtomicLong();
  final AtomicLong done = new AtomicLong();
  final AtomicLong added = new AtomicLong();
  final AtomicLong updated = new AtomicLong();
  final AtomicLong unchanged = new AtomicLong();
  final AtomicLong deleted = new AtomicLong();
  final AtomicLong withoutCaptionVector = new AtomicLong();

  private final ErrorReport errors;
  private volatile boolean scanDone;

  IngestCounters(ErrorReport errors) {
    this.errors = errors;
  }

  ErrorReport errors() {
    return errors;
  }

  /** Reports a rejected item, which is then done. Returns null, for a caller's {@code return}. */
  <T> T reject(String item, String stage, String reason) {
    errors.add(item, stage, reason);
    done.incrementAndGet();
    return null;
  }

  /** An item the index already holds with the same content: skipped, and done. */
  void unchanged() {
    unchanged.incrementAndGet();
    done.incrementAndGet();
  }

  /**
   * An image indexed without the vector of its caption, because the caption could not be encoded:
   * counted and reported (the report line says the image was indexed).
   */
  void withoutCaptionVector(String item, String reason) {
    withoutCaptionVector.incrementAndGet();
    errors.addIndexedWithout(item, IndexingPipeline.STAGE_ENCODE, reason, "caption vector");
  }

  void scanFinished() {
    scanDone = true;
  }

  boolean scanDone() {
    return scanDone;
  }

  IndexingProgress progress() {
    return new IndexingProgress(found.get(), scanDone, done.get(), errors.count());
  }
}
