package io.mmsearch.lucene.recall;

import io.mmsearch.semantics.recall.LayoutCalibrations;
import io.mmsearch.semantics.recall.RecallCalibration;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;

/**
 * The recall calibrations a searcher uses, one per reader and vector field: Lucene 10 readers
 * served through the engine-neutral {@link LayoutCalibrations}. A reader gets the calibration its
 * commit holds when that describes the reader's own segment layout; otherwise (a near-real-time
 * reader, a commit whose layout changed by a flush or a merge after it was calibrated, an index
 * never calibrated) the layout is measured on a background thread, which holds a reference to the
 * reader until it is done, and the nearest calibration serves meanwhile.
 *
 * <p>Thread-safe. {@link #close()} stops the background thread and releases the readers it holds.
 */
public final class ReaderCalibrations implements Closeable {
  private static final Logger LOG = Logger.getLogger(ReaderCalibrations.class.getName());

  private final IndexCalibration how;
  private final LayoutCalibrations calibrations;
  private final Map<IndexReader.CacheKey, Map<String, String>> layouts = new ConcurrentHashMap<>();

  /**
   * @param how what to measure and how
   * @param measureInBackground false: never measure, only read what commits hold (a one-shot
   *     command line search has no time to wait for a measurement it would not use)
   */
  public ReaderCalibrations(IndexCalibration how, boolean measureInBackground) {
    this.how = Objects.requireNonNull(how, "how");
    this.calibrations =
        new LayoutCalibrations(how.settings(), how.textQueries(), measureInBackground);
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
  public Optional<LayoutCalibrations.Current> forReader(IndexReader reader, String field) {
    return calibrations.forView(
        field,
        layoutOf(reader, field),
        () -> stored(reader, field),
        () -> {
          if (!reader.tryIncRef()) {
            return null;
          }
          return LayoutCalibrations.Lease.of(
              new LuceneCalibrationIndex(reader, field), () -> decRef(reader));
        });
  }

  /**
   * Waits for the measurement of {@code reader}'s layout, if one is under way, up to {@code
   * timeout}; for tests and for callers that would rather wait than search stale.
   */
  public void awaitMeasurement(IndexReader reader, String field, long timeout, TimeUnit unit)
      throws InterruptedException {
    calibrations.awaitMeasurement(field, layoutOf(reader, field), timeout, unit);
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

  private static void decRef(IndexReader reader) {
    try {
      reader.decRef();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "releasing a reader after its recall calibration", e);
    }
  }

  /**
   * Stops measuring: queued measurements are skipped and the one under way stops at its next step;
   * each releases its reader.
   */
  @Override
  public void close() {
    calibrations.close();
  }
}
