package io.mmsearch.training.loop;

import ai.djl.training.tracker.Tracker;

/**
 * Linear warm-up from 0 to the peak learning rate, then cosine decay to {@code peak * finalRatio}
 * at the last step. A pure function of the global step, so a resumed run continues the curve where
 * it stopped. Immutable and thread-safe.
 */
public final class LearningRateSchedule implements Tracker {

  private final float peak;
  private final int warmupSteps;
  private final int totalSteps;
  private final float finalRatio;

  public LearningRateSchedule(float peak, int warmupSteps, int totalSteps, float finalRatio) {
    if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "bad schedule: warm-up " + warmupSteps + " of " + totalSteps + " steps");
    }
    this.peak = peak;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
    this.finalRatio = finalRatio;
  }

  /** The learning rate of 0-based global step {@code step}. */
  @Override
  public float getNewValue(int step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / (warmupSteps + 1);
    }
    int decaySteps = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return (float) (peak * (finalRatio + (1 - finalRatio) * cosine));
  }
}
