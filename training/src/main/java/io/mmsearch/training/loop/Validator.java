package io.mmsearch.training.loop;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import io.mmsearch.training.data.BatchAssembler;
import io.mmsearch.training.data.TrainingBatch;

/**
 * Scores the model on the validation set after an epoch: mean contrastive loss (images as prepared,
 * primary captions) and text-to-image / image-to-text Recall@1/5/10, where a hit is any item of the
 * same concept. Stateless between calls.
 */
final class Validator {

  private final BatchAssembler batches;
  private final int batchSize;
  private final ContrastiveLoss loss;
  private final int embeddingDim;

  Validator(BatchAssembler batches, int batchSize, ContrastiveLoss loss, int embeddingDim) {
    this.batches = batches;
    this.batchSize = batchSize;
    this.loss = loss;
    this.embeddingDim = embeddingDim;
  }

  /** Validation loss ({@code NaN} if no batch has two items) and recall. */
  record Result(double loss, RetrievalMetrics recall) {}

  Result run(Trainer trainer) {
    int dim = embeddingDim;
    var order = batches.epochBatches(0, batchSize);
    int n = order.stream().mapToInt(b -> b.length).sum();
    float[] images = new float[n * dim];
    float[] texts = new float[n * dim];
    long[] concepts = new long[n];
    double lossSum = 0;
    int lossBatches = 0;
    int row = 0;
    for (int[] indices : order) {
      TrainingBatch batch = batches.assemble(indices, 0);
      try (NDManager scope = trainer.getManager().newSubManager()) {
        NDList predictions = trainer.evaluate(ModelInputs.of(scope, batch));
        if (batch.size() >= 2) {
          lossSum += loss.evaluate(ModelInputs.labels(scope, batch), predictions).getFloat();
          lossBatches++;
        }
        System.arraycopy(
            predictions.get(0).toFloatArray(), 0, images, row * dim, batch.size() * dim);
        System.arraycopy(
            predictions.get(1).toFloatArray(), 0, texts, row * dim, batch.size() * dim);
        System.arraycopy(batch.concepts(), 0, concepts, row, batch.size());
        row += batch.size();
      }
    }
    return new Result(
        lossBatches == 0 ? Double.NaN : lossSum / lossBatches,
        RetrievalMetrics.compute(images, texts, concepts, dim));
  }
}
