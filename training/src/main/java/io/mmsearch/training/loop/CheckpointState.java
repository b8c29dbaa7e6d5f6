package io.mmsearch.training.loop;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mmsearch.training.model.DualEncoderConfig;
import java.util.List;
import java.util.Map;

/**
 * The JSON half of a checkpoint ({@code checkpoint.json}); the weights are in {@code model.params}
 * beside it and the vocabulary in {@code vocab.txt}.
 *
 * @param architecture the model's shape; a checkpoint only loads into an equal architecture
 * @param epoch number of completed epochs
 * @param globalStep optimiser steps taken so far (the learning-rate schedule resumes from it)
 * @param bestEpoch epoch of the best validation score so far
 * @param bestScore that score
 * @param epochsWithoutImprovement for early stopping
 * @param history metrics of every completed epoch
 * @param concepts concept name to index, so a resumed run keeps the same concept ids
 * @param dataset what the run trained on, for provenance
 * @param seed the run's seed, for provenance
 */
public record CheckpointState(
    @JsonProperty("architecture") DualEncoderConfig architecture,
    @JsonProperty("epoch") int epoch,
    @JsonProperty("globalStep") int globalStep,
    @JsonProperty("bestEpoch") int bestEpoch,
    @JsonProperty("bestScore") double bestScore,
    @JsonProperty("epochsWithoutImprovement") int epochsWithoutImprovement,
    @JsonProperty("history") List<EpochMetrics> history,
    @JsonProperty("concepts") Map<String, Integer> concepts,
    @JsonProperty("dataset") String dataset,
    @JsonProperty("seed") long seed) {

  public CheckpointState {
    java.util.Objects.requireNonNull(architecture, "architecture");
    history = List.copyOf(history);
    concepts = Map.copyOf(concepts);
  }
}
