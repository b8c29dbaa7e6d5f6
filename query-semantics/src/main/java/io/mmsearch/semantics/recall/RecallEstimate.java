package io.mmsearch.semantics.recall;

import java.util.Locale;

/**
 * How many candidates a search fetched and the recall it can expect from them, as the index's
 * calibration says.
 *
 * @param targetRecall the recall the request asked for, or NaN if it set the candidates itself (an
 *     explicit count or oversample)
 * @param candidates nearest neighbours fetched
 * @param estimatedRecall the calibration's mean recall@window for this count, kind of query and
 *     filter (the lowest over the request's kinds of query); NaN if the index has no calibration
 *     yet
 * @param standardError standard error of that mean over the calibration's queries (how far the mean
 *     may be off; single queries spread much wider: docs/benchmarks.md measures both)
 * @param source where the estimate comes from
 * @param basis how it was obtained, for people
 */
public record RecallEstimate(
    double targetRecall,
    int candidates,
    double estimatedRecall,
    double standardError,
    Source source,
    String basis) {

  /** Where an estimate comes from. */
  public enum Source {
    /** A calibration of this reader's own segment layout. */
    CALIBRATED,
    /** The nearest calibration there is (an older layout), while this layout is being measured. */
    STALE,
    /** None yet: the count is the default oversample, the recall unknown. */
    UNCALIBRATED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Whether the count was chosen for a target (not set by the request). */
  public boolean targeted() {
    return !Double.isNaN(targetRecall);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d candidates%s, estimated recall %s (%s: %s)",
        candidates,
        targeted() ? String.format(Locale.ROOT, " for target %.3f", targetRecall) : "",
        Double.isNaN(estimatedRecall)
            ? "unknown"
            : String.format(Locale.ROOT, "%.4f ± %.4f", estimatedRecall, standardError),
        source.label(),
        basis);
  }
}
