package io.mmsearch.solr.recall;

import io.mmsearch.semantics.recall.LayoutCalibrations;
import io.mmsearch.semantics.recall.RecallCalibrator;
import io.mmsearch.semantics.recall.TextQueries;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.index.IndexReader;

/**
 * The recall calibrations of one Solr core (one shard replica): each searcher's reader is measured
 * on a background thread the first time a search asks for its layout, with the same {@link
 * RecallCalibrator} the embedded index runs (image queries from the core's own vectors, text-like
 * queries from its {@code caption_vec} vectors where it has them), and served from then on; the
 * nearest calibration serves a new layout while it is measured, none (the default oversample)
 * before the first. Solr commits carry no calibration: a node measures after a restart.
 *
 * <p>Thread-safe. {@link #close()} (on core close) stops the measurement and releases the reader.
 */
public final class CoreCalibrations implements Closeable {
  private static final Logger LOG = Logger.getLogger(CoreCalibrations.class.getName());

  /** The vector field whose vectors stand for text queries. */
  public static final String CAPTION_VECTOR = "caption_vec";

  private final LayoutCalibrations calibrations;

  /**
   * @param settings how a layout is measured
   */
  public CoreCalibrations(RecallCalibrator.Settings settings) {
    this.calibrations =
        new LayoutCalibrations(settings, TextQueries.storedVectors(CAPTION_VECTOR), true);
  }

  /** The calibration for a search of {@code field} on {@code reader}; empty if none yet. */
  public Optional<LayoutCalibrations.Current> forReader(IndexReader reader, String field) {
    return calibrations.forView(
        field,
        SolrCalibrationIndex.layoutOf(reader, field),
        Optional::empty,
        () -> {
          if (!reader.tryIncRef()) {
            return null;
          }
          return LayoutCalibrations.Lease.of(
              new SolrCalibrationIndex(reader, field), () -> decRef(reader));
        });
  }

  private static void decRef(IndexReader reader) {
    try {
      reader.decRef();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "releasing a reader after its recall calibration", e);
    }
  }

  /** Waits up to {@code timeout} for the measurement of {@code reader}'s layout (tests). */
  public void awaitMeasurement(IndexReader reader, String field, long timeout, TimeUnit unit)
      throws InterruptedException {
    calibrations.awaitMeasurement(
        field, SolrCalibrationIndex.layoutOf(reader, field), timeout, unit);
  }

  @Override
  public void close() {
    calibrations.close();
  }
}
