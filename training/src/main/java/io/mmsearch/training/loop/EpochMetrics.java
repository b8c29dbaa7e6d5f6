package io.mmsearch.training.loop;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one epoch measured. Validation fields are {@code NaN}/{@code null} when there was no
 * validation set.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch's steps
 * @param validationLoss mean loss over validation batches (no augmentation, first caption)
 * @param recall validation recall, or {@code null}
 * @param imagesPerSecond training throughput of the epoch (steps only, without validation)
 * @param learningRate learning rate at the epoch's last step
 * @param logitScale the model's logit scale at the end of the epoch
 * @param seconds wall time of the epoch including validation
 * @param timings where the training steps' time went
 * @param cpuSeconds CPU time the whole process used during the epoch's training steps (all
 *     threads); on a shared machine {@code images / cpuSeconds * cores} estimates the throughput
 *     the machine would give alone
 */
public record EpochMetrics(
    @JsonProperty("epoch") int epoch,
    @JsonProperty("trainLoss") double trainLoss,
    @JsonProperty("validationLoss") double validationLoss,
    @JsonProperty("recall") RetrievalMetrics recall,
    @JsonProperty("imagesPerSecond") double imagesPerSecond,
    @JsonProperty("learningRate") double learningRate,
    @JsonProperty("logitScale") double logitScale,
    @JsonProperty("seconds") double seconds,
    @JsonProperty("timings") StepTimings timings,
    @JsonProperty("cpuSeconds") double cpuSeconds) {

  /** The score that picks the best checkpoint: mean recall, or minus the train loss without one. */
  public double score() {
    return recall != null ? recall.meanRecall() : -trainLoss;
  }
}
