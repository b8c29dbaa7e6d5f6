package io.mmsearch.tools.ingest;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.recall.IndexCalibration;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.tools.ingest.BatchEncoder.Pending;
import io.mmsearch.tools.ingest.ItemPreparer.Prepared;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;

/**
 * Indexes the images named by folders and manifests, or stored in another index, into an mmsearch
 * index: the engine behind {@code mmsearch index} and {@code mmsearch reindex}.
 *
 * <p>Threads: one scanner reads the {@link ItemSource} (the inputs, {@link InputScanner}, or an
 * index being re-embedded, {@link StoredIndexSource}) into a bounded queue; {@code threads} workers
 * each take a batch, prepare each item ({@link ItemPreparer}: read, hash, skip what the index holds
 * unchanged, detect the real media type, fill missing captions and keywords from embedded metadata)
 * and encode the batch ({@link BatchEncoder}, one model call per batch); a single writer upserts
 * the documents and commits every {@code commitInterval} ({@link CommittingWriter}). All queues are
 * bounded, so memory does not grow with the number of files. The writer runs on a thread of the
 * pipeline's own, not the caller's, so that an interrupt of the caller never lands on Lucene's file
 * channels.
 *
 * <p>Idempotent and resumable: each document stores a SHA-256 content hash of the image bytes and
 * the indexed text fields; a re-run skips unchanged items and replaces changed ones by id. A run
 * that is killed leaves the index at its last commit, and a re-run adds what is missing, with
 * nothing duplicated (documents are keyed by id). A document is written whole or not at all.
 *
 * <p>Every rejected item goes to the {@link ErrorReport} with its stage ({@code manifest}, {@code
 * scan}, {@code read}, {@code detect}, {@code decode}, {@code encode}, {@code validate}) and
 * reason; a bad item never stops the run. Only a failure of the index itself does. Text fields are
 * checked against the index's limits before the image is even read, and the whole document again
 * before it reaches Lucene, so a value Lucene would refuse is a rejection naming the field, never a
 * failure of the run. Every item found is accounted for: when a run completes, {@code found = added
 * + updated + unchanged + rejected}. An image whose caption cannot be encoded is indexed without a
 * caption vector, counted in {@link IndexingSummary#withoutCaptionVector()} and reported.
 *
 * <p>One run per instance. {@link #requestStop()} may be called from any thread (a shutdown hook):
 * the pipeline stops taking new items, writes and commits what is already encoded, drops what is
 * not (the next run redoes it), and returns. Interrupting the thread in {@link #run()} does the
 * same, promptly (within one model call), and {@code run()} returns with the interrupt status set.
 */
public final class IndexingPipeline {
  /**
   * The writer's RAM buffer: segments flush at this size (the ANN benchmark builds its "as indexed"
   * layout with it too).
   */
  public static final double RAM_BUFFER_MB = 128;

  /** Stage names of the error report. */
  public static final String STAGE_READ = "read",
      STAGE_DETECT = "detect",
      STAGE_DECODE = "decode",
      STAGE_ENCODE = "encode",
      STAGE_VALIDATE = "validate";

  private static final long POLL_MILLIS = 50;

  private final ItemSource source;
  private final Path indexDir;
  private final DualEncoder encoders;
  private final ErrorReport errors;
  private final int threads;
  private final int batchSize;
  private final long commitIntervalNanos;
  private final boolean deleteMissing;
  private final boolean confine;
  private final boolean captionVectors;
  private final ImageFileReader fileReader;
  private final VectorFormat vectorFormat;
  private final IndexingPipelineBuilder.DirectoryOpener directoryOpener;
  private final Consumer<IndexWriterConfig> writerTuning;
  private final MultimodalIndexConfig indexConfig;

  private final IngestCounters counters;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean scanComplete;

  IndexingPipeline(IndexingPipelineBuilder b) {
    if (b.inputs.isEmpty() == (b.source == null)) {
      throw new IllegalArgumentException(
          b.source == null ? "no inputs given" : "give inputs or a source, not both");
    }
    this.source =
        b.source != null ? b.source : InputScanner.source(b.inputs, b.classFromFolder, b.confine);
    this.indexDir = Objects.requireNonNull(b.indexDir, "index");
    this.encoders = Objects.requireNonNull(b.encoders, "encoders");
    this.errors = Objects.requireNonNull(b.errors, "errors");
    this.threads = b.threads;
    this.batchSize = b.batchSize;
    this.commitIntervalNanos = TimeUnit.SECONDS.toNanos(b.commitIntervalSeconds);
    this.deleteMissing = b.deleteMissing;
    this.confine = b.confine;
    this.captionVectors = b.captionVectors;
    this.fileReader = new ImageFileReader(b.maxFileBytes);
    this.vectorFormat = b.vectorFormat;
    this.directoryOpener = b.directoryOpener;
    this.writerTuning = b.writerTuning;
    this.indexConfig = indexConfig();
    this.counters = new IngestCounters(errors);
  }

  public static IndexingPipelineBuilder builder() {
    return new IndexingPipelineBuilder();
  }

  /** Asks a running pipeline to stop soon, keeping (and committing) what is already done. */
  public void requestStop() {
    stop.set(true);
  }

  /** Waits up to {@code timeout} for {@link #run()} to return; true if it has. */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  /** A snapshot of the progress, safe to call from any thread. */
  public IndexingProgress progress() {
    return counters.progress();
  }

  /**
   * Runs the whole pipeline and returns when everything is written and committed (or after a stop
   * request or an interrupt, when what was already encoded is; the summary then says {@code
   * stopped}, and after an interrupt the interrupt status is set again).
   *
   * @throws IOException if the index cannot be opened, written or committed
   * @throws io.mmsearch.lucene.schema.ModelMismatchException if the index was built with another
   *     model
   */
  public IndexingSummary run() throws IOException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a pipeline runs once");
    }
    FutureTask<IndexingSummary> pipeline = new FutureTask<>(this::runOnOwnThreads);
    Thread.ofPlatform().name("mmsearch-index").start(pipeline);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return pipeline.get();
        } catch (InterruptedException e) {
          // The caller wants out: stop taking items; what is in flight ends within a model call.
          interrupted = true;
          requestStop();
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      finished.countDown();
    }
  }

  private IndexingSummary runOnOwnThreads() throws IOException {
    long start = System.nanoTime();
    try (Directory dir = directoryOpener.open(indexDir);
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, indexConfig);
        IndexSnapshot snapshot = IndexSnapshot.open(dir)) {
      errors.start(); // only now: a run refused by the write lock leaves the report alone
      BlockingQueue<IngestItem> items =
          new ArrayBlockingQueue<>(Math.max(64, threads * batchSize * 2));
      BlockingQueue<Pending> toWrite = new ArrayBlockingQueue<>(Math.max(16, batchSize * 4));
      AtomicReference<Throwable> failure = new AtomicReference<>();

      List<Thread> helpers = new ArrayList<>();
      helpers.add(Thread.ofPlatform().name("mmsearch-scan").start(() -> scan(items, failure)));
      CountDownLatch workersDone = new CountDownLatch(threads);
      ItemPreparer preparer =
          new ItemPreparer(
              indexConfig.documentValidator(),
              fileReader,
              new ImagePreprocessor(encoders.bundle().imageSpec()),
              confine,
              counters);
      BatchEncoder encoder = new BatchEncoder(encoders, captionVectors, counters);
      for (int i = 0; i < threads; i++) {
        helpers.add(
            Thread.ofPlatform()
                .name("mmsearch-encode-" + i)
                .start(
                    () -> {
                      try {
                        work(items, toWrite, snapshot, preparer, encoder, failure);
                      } finally {
                        workersDone.countDown();
                      }
                    }));
      }
      new CommittingWriter(writer, commitIntervalNanos, counters)
          .drain(toWrite, workersDone, failure, this::requestStop);
      helpers.forEach(this::joinStopping);
      if (failure.get() != null) {
        try {
          writer.commit(); // keep what was written before the failure
        } catch (IOException | RuntimeException e) {
          failure.get().addSuppressed(e);
        }
        throw rethrow(failure.get());
      }
      boolean deleteSkipped = deleteMissing && (stop.get() || !scanComplete);
      if (deleteMissing && !deleteSkipped) {
        snapshot.forEachUnseenId(
            id -> {
              try {
                writer.delete(id);
                counters.deleted.incrementAndGet();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
      }
      writer.commit();
      if (!stop.get()) {
        calibrate(writer);
      }
      writer.refresh();
      long documents;
      var searcher = writer.searcherManager().acquire();
      try {
        documents = searcher.getIndexReader().numDocs();
      } finally {
        writer.searcherManager().release(searcher);
      }
      return new IndexingSummary(
          counters.found.get(),
          counters.added.get(),
          counters.updated.get(),
          counters.unchanged.get(),
          errors.count(),
          counters.deleted.get(),
          counters.withoutCaptionVector.get(),
          documents,
          (System.nanoTime() - start) / 1e9,
          errors.countsPerStage(),
          errors.file(),
          stop.get(),
          deleteSkipped);
    }
  }

  /**
   * Records the recall calibration of the committed layout (a new commit; nothing if the layout is
   * already calibrated), measured on the pipeline's threads, so searches of the new commit fetch
   * the candidates their target recall needs without measuring it themselves.
   */
  private void calibrate(MultimodalIndexWriter writer) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      writer.calibrate(pool);
    } finally {
      pool.shutdownNow();
    }
  }

  private MultimodalIndexConfig indexConfig() {
    ModelIdentity identity = new ModelIdentity(encoders.fingerprint(), encoders.dimension());
    VectorFieldConfig vectors = VectorFieldConfig.of(vectorFormat);
    return MultimodalIndexConfig.builder(identity)
        .imageVectorConfig(vectors)
        .captionVectorConfig(vectors)
        // Text-like calibration queries: the stored captions, embedded as a user's query is.
        .recallCalibration(IndexCalibration.defaults().withCaptionEncoder(encoders.text()))
        .writerTuning(
            iwc -> {
              iwc.setRAMBufferSizeMB(RAM_BUFFER_MB);
              writerTuning.accept(iwc);
            })
        .build();
  }

  /** Reads the source into the queue until done or asked to stop. */
  private void scan(BlockingQueue<IngestItem> items, AtomicReference<Throwable> failure) {
    try {
      scanComplete =
          source.scan(
              item -> {
                counters.found.incrementAndGet();
                if (!offerUnlessStopped(items, item)) {
                  throw new StopScan();
                }
              },
              problem -> {
                counters.found.incrementAndGet();
                counters.done.incrementAndGet();
                errors.add(problem);
              });
    } catch (StopScan e) {
      // Asked to stop: the items not yet queued are left for the next run.
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      requestStop();
    } finally {
      counters.scanFinished();
    }
  }

  private static final class StopScan extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopScan() {
      super(null, null, false, false);
    }
  }

  /**
   * Takes batches until the scan is done and its queue empty, or the run stops. After a stop the
   * batch in hand is dropped (the next run picks it up), so a worker ends within one model call.
   */
  private void work(
      BlockingQueue<IngestItem> items,
      BlockingQueue<Pending> toWrite,
      IndexSnapshot snapshot,
      ItemPreparer preparer,
      BatchEncoder encoder,
      AtomicReference<Throwable> failure) {
    List<IngestItem> batch = new ArrayList<>(batchSize);
    while (!stop.get()) {
      batch.clear();
      IngestItem first = pollUnlessStopped(items);
      if (first == null) {
        if (counters.scanDone() && items.isEmpty()) {
          return;
        }
        continue;
      }
      batch.add(first);
      items.drainTo(batch, batchSize - 1);
      try {
        List<Prepared> prepared = new ArrayList<>(batch.size());
        for (IngestItem item : batch) {
          if (stop.get()) {
            return;
          }
          Prepared p = preparer.prepare(item, snapshot);
          if (p != null) {
            prepared.add(p);
          }
        }
        if (stop.get()) {
          return;
        }
        for (Pending p : encoder.encode(prepared)) {
          if (!offerUnlessStopped(toWrite, p)) {
            return;
          }
        }
      } catch (ClosedByInterruptException e) {
        requestStop(); // interrupted while reading a file: stopping, the file is not at fault
      } catch (Throwable t) {
        // Not a bad item (those are reported): the index snapshot or the encoder itself failed.
        failure.compareAndSet(null, t);
        requestStop();
      }
    }
  }

  /** Queues a value, waiting for room; false (not queued) if the run stops meanwhile. */
  private <T> boolean offerUnlessStopped(BlockingQueue<T> queue, T value) {
    try {
      while (!queue.offer(value, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        if (stop.get()) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      requestStop(); // only the pipeline's own threads get here; stopping is the answer
      return false;
    }
  }

  private IngestItem pollUnlessStopped(BlockingQueue<IngestItem> queue) {
    try {
      return queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      requestStop();
      return null;
    }
  }

  /**
   * Waits for one of the pipeline's threads, which end promptly once the run stops. Runs on the
   * pipeline's own thread, which nobody else holds; an interrupt there stops the run like any other
   * stop request.
   */
  private void joinStopping(Thread t) {
    while (true) {
      try {
        t.join();
        return;
      } catch (InterruptedException e) {
        requestStop();
      }
    }
  }

  private static IOException rethrow(Throwable t) {
    if (t instanceof IOException io) {
      return io;
    }
    if (t instanceof UncheckedIOException u) {
      return u.getCause();
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IOException(t);
  }
}
