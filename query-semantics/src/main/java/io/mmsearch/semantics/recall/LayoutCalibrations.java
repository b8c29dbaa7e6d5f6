package io.mmsearch.semantics.recall;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The recall calibrations an engine's searches use, by vector field and segment layout, whatever
 * engine holds the index: the embedded index (per reader) and each Solr core (per searcher) keep
 * one. A view of the index is served the calibration of its own layout when one is known
 * (remembered, or the one its commit holds); otherwise its layout is measured on a background
 * thread, and until that measurement is done the view is served the nearest calibration there is:
 * the one its commit holds, else the one measured last for the field, marked stale. A layout
 * measured once is remembered, so views of the same layout share it.
 *
 * <p>Thread-safe. {@link #close()} stops the background thread: queued measurements are skipped and
 * the one under way stops at its next step (cooperatively: interrupting a thread in file I/O closes
 * Lucene's {@code NIOFSDirectory} channels for every reader of the index); each releases its view.
 */
public final class LayoutCalibrations implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LayoutCalibrations.class.getName());

  /**
   * The calibration a search uses.
   *
   * @param calibration the measured curves
   * @param current true if they were measured on this view's layout; false: the nearest there was,
   *     while this layout is being measured (or could not be)
   */
  public record Current(RecallCalibration calibration, boolean current) {}

  /**
   * A view of the index held open for a background measurement; {@link #close()} releases it.
   * Engines keep their reader referenced until then.
   */
  public interface Lease extends AutoCloseable {
    /** The view to measure. */
    CalibrationIndex index();

    @Override
    void close();

    /** A lease on {@code index} that runs {@code release} when closed. */
    static Lease of(CalibrationIndex index, Runnable release) {
      return new Lease() {
        @Override
        public CalibrationIndex index() {
          return index;
        }

        @Override
        public void close() {
          release.run();
        }
      };
    }
  }

  /** Opens a {@link Lease} on the view, or returns null if it is already closed. */
  @FunctionalInterface
  public interface Leaser {
    Lease lease();
  }

  private final RecallCalibrator.Settings settings;
  private final TextQueries textQueries;
  private final ExecutorService background;
  private final Map<String, RecallCalibration> byLayout = new ConcurrentHashMap<>();
  private final Map<String, RecallCalibration> latestByField = new ConcurrentHashMap<>();
  private final Map<String, Future<?>> measuring = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param settings how a layout is measured
   * @param textQueries where its text-like queries come from
   * @param measureInBackground false: never measure, only use what commits hold (a one-shot command
   *     line search has no time to wait for a measurement it would not use)
   */
  public LayoutCalibrations(
      RecallCalibrator.Settings settings, TextQueries textQueries, boolean measureInBackground) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.textQueries = Objects.requireNonNull(textQueries, "textQueries");
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

  /**
   * The calibration for a search of {@code field} on a view of layout {@code layout}; starts
   * measuring the layout if no calibration describes it.
   *
   * @param stored the calibration the view's commit holds, if any (read only when needed)
   * @param leaser opens the view for the background measurement
   * @return empty if there is none at all yet (the search then falls back to a fixed oversample)
   */
  public Optional<Current> forView(
      String field,
      String layout,
      java.util.function.Supplier<Optional<RecallCalibration>> stored,
      Leaser leaser) {
    RecallCalibration known = byLayout.get(key(field, layout));
    if (known != null) {
      return Optional.of(new Current(known, true));
    }
    Optional<RecallCalibration> committed = stored.get();
    if (committed.isPresent() && committed.get().layout().equals(layout)) {
      remember(committed.get());
      return Optional.of(new Current(committed.get(), true));
    }
    measure(field, layout, leaser);
    RecallCalibration nearest = committed.orElse(latestByField.get(field));
    return Optional.ofNullable(nearest).map(c -> new Current(c, false));
  }

  /**
   * Waits for the measurement of {@code layout}, if one is under way, up to {@code timeout}; for
   * tests and for callers that would rather wait than search stale.
   */
  public void awaitMeasurement(String field, String layout, long timeout, TimeUnit unit)
      throws InterruptedException {
    Future<?> f = measuring.get(key(field, layout));
    if (f != null) {
      try {
        f.get(timeout, unit);
      } catch (ExecutionException | TimeoutException | CancellationException e) {
        // logged by the measurement; the caller finds the layout still uncalibrated
      }
    }
  }

  private void remember(RecallCalibration calibration) {
    byLayout.put(key(calibration.field(), calibration.layout()), calibration);
    latestByField.put(calibration.field(), calibration);
  }

  private void measure(String field, String layout, Leaser leaser) {
    if (background == null || closed || measuring.containsKey(key(field, layout))) {
      return;
    }
    Lease lease = leaser.lease();
    if (lease == null) {
      return;
    }
    boolean[] submitted = {false};
    try {
      measuring.computeIfAbsent(
          key(field, layout),
          k -> {
            submitted[0] = true;
            return background.submit(() -> measureNow(field, k, lease));
          });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      submitted[0] = false;
      measuring.remove(key(field, layout));
    }
    if (!submitted[0]) {
      lease.close(); // already being measured through another view of the same layout
    }
  }

  private void measureNow(String field, String key, Lease lease) {
    try {
      if (!closed) {
        new RecallCalibrator(settings, null, () -> closed)
            .calibrate(lease.index(), field, textQueries)
            .ifPresent(this::remember);
      }
    } catch (CancellationException stopped) {
      // close() stopped it: nothing to report
    } catch (java.io.IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "recall calibration of " + field + " failed", e);
    } finally {
      measuring.remove(key);
      lease.close();
    }
  }

  private static String key(String field, String layout) {
    return field + "\u0000" + layout;
  }

  /**
   * Stops measuring (see the class comment) and waits, up to {@link #CLOSE_WAIT_SECONDS}, until the
   * measurement under way has stopped and released its view, so a caller may close the index right
   * after.
   */
  @Override
  public void close() {
    closed = true;
    if (background != null) {
      background.shutdown();
      try {
        if (!background.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
          LOG.warning("a recall calibration did not stop within " + CLOSE_WAIT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * How long {@link #close()} waits for a measurement to stop: it stops at its next step (a block
   * of the truth pass, one search of the sample, or a ladder step), well within this.
   */
  public static final int CLOSE_WAIT_SECONDS = 60;
}
