package io.mmsearch.training.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands between epochs: epochs and optimiser steps done, the history, the best epoch
 * and score, and the epochs since it improved (early stopping). Restored from a checkpoint when
 * resuming and written into every checkpoint.
 *
 * <p>Not thread-safe.
 */
final class TrainingProgress {

  private int epoch;
  private int globalStep;
  private int bestEpoch;
  private double bestScore = Double.NEGATIVE_INFINITY;
  private int stale;
  private final List<EpochMetrics> history = new ArrayList<>();

  /** A fresh run. */
  TrainingProgress() {}

  /** Where the checkpoint's run stood. */
  TrainingProgress(CheckpointState s) {
    epoch = s.epoch();
    globalStep = s.globalStep();
    bestEpoch = s.bestEpoch();
    bestScore = s.bestScore();
    stale = s.epochsWithoutImprovement();
    history.addAll(s.history());
  }

  /** Completed epochs. */
  int epoch() {
    return epoch;
  }

  /** Optimiser steps taken. */
  int globalStep() {
    return globalStep;
  }

  int bestEpoch() {
    return bestEpoch;
  }

  /** Epochs in a row without a better score. */
  int stale() {
    return stale;
  }

  List<EpochMetrics> history() {
    return List.copyOf(history);
  }

  /**
   * Records a completed epoch and its steps.
   *
   * @return whether its score is the best so far
   */
  boolean record(EpochMetrics metrics, int steps) {
    epoch = metrics.epoch();
    globalStep += steps;
    history.add(metrics);
    if (metrics.score() > bestScore) {
      bestScore = metrics.score();
      bestEpoch = metrics.epoch();
      stale = 0;
      return true;
    }
    stale++;
    return false;
  }

  /** The state a checkpoint of this point carries. */
  CheckpointState state(
      io.mmsearch.training.model.DualEncoderConfig architecture,
      Map<String, Integer> concepts,
      String dataset,
      long seed) {
    return new CheckpointState(
        architecture,
        epoch,
        globalStep,
        bestEpoch,
        bestScore,
        stale,
        history,
        concepts,
        dataset,
        seed);
  }
}
