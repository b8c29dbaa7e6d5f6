package io.mmsearch.training.loop;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where an epoch's training time went, in seconds summed over its steps.
 *
 * @param waitingForData the step waited for the loader thread(s) to finish assembling its batch
 *     (decode is done up front; this is augmentation and copying not hidden behind the previous
 *     step)
 * @param tensors creating the input tensors from Java arrays
 * @param forwardBackward forward pass, loss and backward pass
 * @param optimizer gradient clipping and the AdamW update
 */
public record StepTimings(
    @JsonProperty("waitingForData") double waitingForData,
    @JsonProperty("tensors") double tensors,
    @JsonProperty("forwardBackward") double forwardBackward,
    @JsonProperty("optimizer") double optimizer) {}
