package io.mmsearch.semantics.recall;

import io.mmsearch.semantics.SearchDepth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decides a request's candidate count from its depth and the index's recall calibration, and says
 * what recall to expect: the one function both engines call before their kNN search (the embedded
 * index per reader, Solr per shard).
 *
 * <ul>
 *   <li>A request that asks for a recall ({@link SearchDepth#usesTargetRecall()}): each of its
 *       kinds of query asks the calibration for the count that reaches the target at its window and
 *       filter; the largest wins (a text-and-image mix must satisfy both), passed to {@link
 *       SearchDepth#candidateCount(OptionalInt)}.
 *   <li>A request that set its own count or oversample: that count; the calibration only estimates
 *       its recall.
 *   <li>No calibration yet: the default oversample, recall unknown.
 * </ul>
 *
 * Stateless.
 */
public final class CandidatePlanner {
  private CandidatePlanner() {}

  /**
   * The candidates of one vector search and the recall to expect.
   *
   * @param depth the request's depth (window, explicit count or oversample, target recall)
   * @param kinds the kinds of the request's vector sources (at least one)
   * @param selectivity share of the documents the request's filter accepts (1: none)
   * @param reranked whether the candidates are re-ranked exactly
   * @param calibration the index's calibration for this view, if any
   * @param current whether that calibration was measured on this view's layout
   */
  public static RecallEstimate plan(
      SearchDepth depth,
      Collection<QueryKind> kinds,
      double selectivity,
      boolean reranked,
      Optional<RecallCalibration> calibration,
      boolean current) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("a vector search has at least one kind of query");
    }
    int window = depth.window();
    double target = depth.usesTargetRecall() ? depth.targetRecall() : Double.NaN;
    if (calibration.isEmpty()) {
      return new RecallEstimate(
          target,
          depth.candidateCount(OptionalInt.empty()),
          Double.NaN,
          Double.NaN,
          RecallEstimate.Source.UNCALIBRATED,
          "no calibration yet: " + SearchDepth.DEFAULT_OVERSAMPLE + " candidates per hit");
    }
    RecallCalibration c = calibration.get();
    int count;
    List<String> basis = new ArrayList<>();
    if (depth.usesTargetRecall()) {
      int needed = 0;
      for (QueryKind kind : kinds) {
        CandidateChoice choice = c.choose(kind, window, target, selectivity, reranked);
        needed = Math.max(needed, choice.candidates());
        if (!choice.reachable()) {
          basis.add(kind.label() + ": target not reached within the calibrated counts");
        }
      }
      count = depth.candidateCount(OptionalInt.of(needed));
    } else {
      count = depth.candidateCount(OptionalInt.empty());
    }
    double recall = 1;
    double se = 0;
    for (QueryKind kind : kinds) {
      CandidateChoice estimate = c.estimate(kind, window, count, selectivity, reranked);
      if (estimate.estimatedRecall() < recall) {
        recall = estimate.estimatedRecall();
        se = estimate.standardError();
      }
      basis.add(kind.label() + ": " + estimate.basis());
    }
    if (!current) {
      basis.add("measured on an earlier layout of " + c.documents() + " documents");
    }
    return new RecallEstimate(
        target,
        count,
        recall,
        se,
        current ? RecallEstimate.Source.CALIBRATED : RecallEstimate.Source.STALE,
        String.join("; ", basis));
  }
}
