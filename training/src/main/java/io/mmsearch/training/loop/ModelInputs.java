package io.mmsearch.training.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mmsearch.training.data.TextBatch;
import io.mmsearch.training.data.TrainingBatch;

/** Turns batches (Java arrays) into the model's input and label tensors. Stateless. */
public final class ModelInputs {

  private ModelInputs() {}

  /**
   * The forward inputs of {@code batch}: the image tower's ({@code [B,3,S,S]} pixels or {@code
   * [B,F]} features), then the text tower's.
   */
  static NDList of(NDManager manager, TrainingBatch batch) {
    NDList inputs = new NDList(images(manager, batch.images(), batch.size(), batch.imageShape()));
    inputs.addAll(text(manager, batch.text()));
    return inputs;
  }

  /** The image tower's input: {@code rows} items of {@code itemShape} each. */
  static NDArray images(NDManager manager, float[] images, int rows, long[] itemShape) {
    long[] shape = new long[itemShape.length + 1];
    shape[0] = rows;
    System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
    return manager.create(images, new Shape(shape));
  }

  /** The text tower's input tensors for a text batch. */
  public static NDList text(NDManager manager, TextBatch text) {
    return switch (text) {
      case TextBatch.Tokens t ->
          new NDList(
              manager.create(t.tokens(), new Shape(t.rows(), t.steps())),
              manager.create(t.lengths(), new Shape(t.rows())));
      case TextBatch.Features f ->
          new NDList(manager.create(f.values(), new Shape(f.rows(), f.dimension())));
    };
  }

  /** The loss labels: concept per item and the {@code describes} mask. */
  static NDList labels(NDManager manager, TrainingBatch batch) {
    return new NDList(
        manager.create(batch.concepts()),
        manager.create(batch.describes(), new Shape(batch.size(), batch.size())));
  }
}
