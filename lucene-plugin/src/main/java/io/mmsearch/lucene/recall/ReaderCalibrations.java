package io.mmsearch.lucene.recall;

import io.mmsearch.semantics.recall.RecallCalibration;
import io.mmsearch.semantics.recall.RecallCalibrator;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;

/**
 * The recall calibrations a searcher uses, one per reader and vector field. A reader gets the
 * calibration its commit holds when that describes the reader's own segment layout; otherwise (a
 * near-real-time reader, a commit whose layout changed by a flush or a merge after it was
 * calibrated, an index never calibrated) the layout is measured on a background thread, and until
 * that measurement is done the reader is served the nearest calibration there is: the one its
 * commit holds, else the one measured last for the field, marked stale. A layout measured once is
 * remembered, so readers of the same layout (a refresh without changes) share it.
 *
 * <p>Thread-safe. {@link #close()} stops the background thread (a measurement under way is
 * abandoned) and releases the readers it holds.
 */
public final class ReaderCalibrations implements Closeable {
  private static final Logger LOG = Logger.getLogger(ReaderCalibrations.class.getName());

  /**
   * The calibration a search uses.
   *
   * @param calibration the measured curves
   * @param current true if they were measured on this reader's layout; false: the nearest there
   *     was, while this layout is being measured (or could not be)
   */
  public record Current(RecallCalibration calibration, boolean current) {}

  private final IndexCalibration how;
  private final ExecutorService background;
  private final Map<String, RecallCalibration> byLayout = new ConcurrentHashMap<>();
  private final Map<String, RecallCalibration> latestByField = new ConcurrentHashMap<>();
  private final Map<String, Future<?>> measuring = new ConcurrentHashMap<>();
  private final Map<IndexReader.CacheKey, Map<String, String>> layouts = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param how what to measure and how
   * @param measureInBackground false: never measure, only read what commits hold (a one-shot
   *     command line search has no time to wait for a measurement it would not use)
   */
  public ReaderCalibrations(IndexCalibration how, boolean measureInBackground) {
    this.how = Objects.requireNonNull(how, "how");
    this.background =
        measureInBackground
            ? Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "mmsearch-recall-calibration");
                  t.setDaemon(true);
                  t.setPriority(Thread.MIN_PRIORITY);
                  return t;
                })
            : null;
  }

  /** What the searcher's readers are calibrated with. */
  public IndexCalibration how() {
    return how;
  }

  /**
   * The calibration for a search of {@code field} on {@code reader}; starts measuring the reader's
   * layout if no calibration describes it.
   *
   * @return empty if there is none at all yet (the search then falls back to a fixed oversample)
   */
  public Optional<Current> forReader(IndexReader reader, String field) {
    String layout = layoutOf(reader, field);
    RecallCalibration known = byLayout.get(key(field, layout));
    if (known != null) {
      return Optional.of(new Current(known, true));
    }
    Optional<RecallCalibration> stored = stored(reader, field);
    if (stored.isPresent() && stored.get().layout().equals(layout)) {
      remember(stored.get());
      return Optional.of(new Current(stored.get(), true));
    }
    measure(reader, field, layout);
    RecallCalibration nearest = stored.orElse(latestByField.get(field));
    return Optional.ofNullable(nearest).map(c -> new Current(c, false));
  }

  /**
   * Waits for the measurement of {@code reader}'s layout, if one is under way, up to {@code
   * timeout}; for tests and for callers that would rather wait than search stale.
   */
  public void awaitMeasurement(IndexReader reader, String field, long timeout, TimeUnit unit)
      throws InterruptedException {
    Future<?> f = measuring.get(key(field, LuceneCalibrationIndex.layoutOf(reader, field)));
    if (f != null) {
      try {
        f.get(timeout, unit);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // logged by the measurement; the caller finds the reader still uncalibrated
      }
    }
  }

  /** The reader's layout, worked out once per reader (a search asks for it every time). */
  private String layoutOf(IndexReader reader, String field) {
    IndexReader.CacheHelper helper = reader.getReaderCacheHelper();
    if (helper == null) {
      return LuceneCalibrationIndex.layoutOf(reader, field);
    }
    Map<String, String> perField =
        layouts.computeIfAbsent(
            helper.getKey(),
            key -> {
              helper.addClosedListener(layouts::remove);
              return new ConcurrentHashMap<>();
            });
    return perField.computeIfAbsent(field, f -> LuceneCalibrationIndex.layoutOf(reader, f));
  }

  private static Optional<RecallCalibration> stored(IndexReader reader, String field) {
    if (!(reader instanceof DirectoryReader directoryReader)) {
      return Optional.empty();
    }
    try {
      return RecallCalibration.fromUserData(directoryReader.getIndexCommit().getUserData(), field);
    } catch (IOException | IllegalArgumentException e) {
      LOG.log(Level.WARNING, "ignoring the stored recall calibration of " + field, e);
      return Optional.empty();
    }
  }

  private void remember(RecallCalibration calibration) {
    byLayout.put(key(calibration.field(), calibration.layout()), calibration);
    latestByField.put(calibration.field(), calibration);
  }

  private void measure(IndexReader reader, String field, String layout) {
    if (background == null || closed || !reader.tryIncRef()) {
      return;
    }
    String key = key(field, layout);
    boolean[] submitted = {false};
    measuring.computeIfAbsent(
        key,
        k -> {
          submitted[0] = true;
          return background.submit(
              () -> {
                try {
                  if (closed) {
                    return;
                  }
                  new RecallCalibrator(how.settings(), null, () -> closed)
                      .calibrate(
                          new LuceneCalibrationIndex(reader, field), field, how.textQueries())
                      .ifPresent(this::remember);
                } catch (java.util.concurrent.CancellationException closing) {
                  // close() stopped it: nothing to report
                } catch (IOException | RuntimeException e) {
                  LOG.log(Level.WARNING, "recall calibration of " + field + " failed", e);
                } finally {
                  measuring.remove(k);
                  decRef(reader);
                }
              });
        });
    if (!submitted[0]) {
      decRef(reader); // already being measured through another reader of the same layout
    }
  }

  private static void decRef(IndexReader reader) {
    try {
      reader.decRef();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "closing a reader after its recall calibration failed", e);
    }
  }

  private static String key(String field, String layout) {
    return field + "\u0000" + layout;
  }

  /**
   * Stops measuring: queued measurements are skipped and the one under way stops at its next step;
   * each releases its reader.
   */
  @Override
  public void close() {
    closed = true;
    if (background != null) {
      // No interrupt: interrupting a thread in file I/O closes NIOFSDirectory's channels for
      // every reader of the index; the measurement polls `closed` between steps instead.
      background.shutdown();
    }
  }
}
