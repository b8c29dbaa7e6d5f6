package io.mmsearch.training.loop;

import io.mmsearch.training.data.DatasetProblem;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run produced.
 *
 * @param bestCheckpoint the checkpoint with the best validation score
 * @param lastCheckpoint the checkpoint of the last completed epoch (resume from it)
 * @param history metrics of every epoch, including those of earlier runs when resumed
 * @param problems every item that was skipped, with the reason
 * @param trainItems usable training items
 * @param validationItems usable validation items (0: no validation)
 * @param stoppedEarly whether early stopping ended the run before the last epoch
 */
public record TrainingOutcome(
    Path bestCheckpoint,
    Path lastCheckpoint,
    List<EpochMetrics> history,
    List<DatasetProblem> problems,
    int trainItems,
    int validationItems,
    boolean stoppedEarly) {

  public TrainingOutcome {
    history = List.copyOf(history);
    problems = List.copyOf(problems);
  }

  /** Metrics of the best epoch. */
  public EpochMetrics best() {
    return history.stream().max((a, b) -> Double.compare(a.score(), b.score())).orElseThrow();
  }
}
