package io.mmsearch.encoders.image;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link ImagePreprocessor#preprocessBatch}: one contiguous float32 tensor of shape
 * {@code [n, 3, size, size]} holding the images that could be preprocessed, in input order, plus
 * one {@link ItemFailure} per image that could not.
 *
 * <p>Immutable by contract: {@link #tensor()} hands out the backing array without copying so that
 * an inference engine can wrap it directly; callers must not modify it.
 */
public final class PreprocessedBatch {

  /**
   * An input that was left out of the tensor.
   *
   * @param index position of the item in the input list
   * @param itemName the name the caller gave the item
   * @param reason why it was refused, without the item name
   */
  public record ItemFailure(int index, String itemName, String reason) {
    public ItemFailure {
      Objects.requireNonNull(itemName, "itemName");
      Objects.requireNonNull(reason, "reason");
    }

    /** {@code "<item>: <reason>"}, the same text as the exception message. */
    @Override
    public String toString() {
      return itemName + ": " + reason;
    }
  }

  private final float[] tensor;
  private final int imageSize;
  private final int[] sourceIndices;
  private final List<ItemFailure> failures;

  PreprocessedBatch(
      float[] tensor, int imageSize, int[] sourceIndices, List<ItemFailure> failures) {
    if (tensor.length != (long) sourceIndices.length * 3 * imageSize * imageSize) {
      throw new IllegalArgumentException(
          "tensor length " + tensor.length + " does not hold " + sourceIndices.length + " images");
    }
    this.tensor = tensor;
    this.imageSize = imageSize;
    this.sourceIndices = sourceIndices.clone();
    this.failures = List.copyOf(failures);
  }

  /**
   * The pixels of every successful image, CHW per image, images in input order. Not a copy: do not
   * modify.
   */
  public float[] tensor() {
    return tensor;
  }

  /** Number of images in {@link #tensor()}. */
  public int size() {
    return sourceIndices.length;
  }

  /** Side length of each image in the tensor. */
  public int imageSize() {
    return imageSize;
  }

  /** The tensor shape {@code [size(), 3, imageSize(), imageSize()]}, as ONNX Runtime expects it. */
  public long[] shape() {
    return new long[] {sourceIndices.length, 3, imageSize, imageSize};
  }

  /** Position in the input list of the image stored at {@code row} of the tensor. */
  public int sourceIndex(int row) {
    return sourceIndices[Objects.checkIndex(row, sourceIndices.length)];
  }

  /** The inputs that were left out, in input order; empty when every image succeeded. */
  public List<ItemFailure> failures() {
    return failures;
  }

  @Override
  public String toString() {
    return "PreprocessedBatch[images="
        + size()
        + ", imageSize="
        + imageSize
        + ", failures="
        + failures
        + "]";
  }
}
