package io.mmsearch.semantics.recall;

import java.util.Locale;

/**
 * The candidate count a calibration chose for one search, and the recall it expects from it.
 *
 * @param candidates nearest neighbours to fetch, at least the window
 * @param reachable false if no measured count reached the target: {@code candidates} is then the
 *     largest count the calibration measured, and {@code estimatedRecall} what it reached
 * @param estimatedRecall the calibration's mean recall@window for this count (1 when the filter
 *     leaves so few documents that Lucene searches them exactly)
 * @param standardError standard error of that mean over the calibration's queries: how far the mean
 *     itself may be off; single queries spread much wider
 * @param basis how the estimate was obtained, for people: which curve, stand-ins, staleness
 */
public record CandidateChoice(
    int candidates, boolean reachable, double estimatedRecall, double standardError, String basis) {

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d candidates, estimated recall %.4f ± %.4f%s (%s)",
        candidates,
        estimatedRecall,
        standardError,
        reachable ? "" : ", target not reachable",
        basis);
  }
}
