package io.mmsearch.onnx;

import java.util.Arrays;

/**
 * The sliding window of a Conv or MaxPool node: kernel shape, strides, pads and dilations, one
 * entry per spatial axis (pads has two per axis in ONNX order: all begins, then all ends, e.g.
 * {@code [top, left, bottom, right]} for 2-D).
 *
 * <p>Immutable; the arrays are copied in and out.
 */
public final class KernelWindow {
  private final int[] kernelShape;
  private final int[] strides;
  private final int[] pads;
  private final int[] dilations;

  private KernelWindow(int[] kernelShape, int[] strides, int[] pads, int[] dilations) {
    int rank = kernelShape.length;
    if (rank == 0) {
      throw new IllegalArgumentException("kernel shape must have at least one axis");
    }
    if (strides.length != rank || dilations.length != rank || pads.length != 2 * rank) {
      throw new IllegalArgumentException(
          "window for "
              + rank
              + " spatial axes needs "
              + rank
              + " strides, "
              + rank
              + " dilations and "
              + 2 * rank
              + " pads, got strides="
              + Arrays.toString(strides)
              + " dilations="
              + Arrays.toString(dilations)
              + " pads="
              + Arrays.toString(pads));
    }
    requirePositive("kernel shape", kernelShape);
    requirePositive("strides", strides);
    requirePositive("dilations", dilations);
    for (int pad : pads) {
      if (pad < 0) {
        throw new IllegalArgumentException("pads must be >= 0, got " + Arrays.toString(pads));
      }
    }
    this.kernelShape = kernelShape.clone();
    this.strides = strides.clone();
    this.pads = pads.clone();
    this.dilations = dilations.clone();
  }

  /** A square 2-D window with the same padding on every side and no dilation. */
  public static KernelWindow square(int kernel, int stride, int padding) {
    return new KernelWindow(
        new int[] {kernel, kernel},
        new int[] {stride, stride},
        new int[] {padding, padding, padding, padding},
        new int[] {1, 1});
  }

  /** A window of any rank without dilation. */
  public static KernelWindow of(int[] kernelShape, int[] strides, int[] pads) {
    int[] dilations = new int[kernelShape.length];
    Arrays.fill(dilations, 1);
    return new KernelWindow(kernelShape, strides, pads, dilations);
  }

  /** A window of any rank with dilation. */
  public static KernelWindow of(int[] kernelShape, int[] strides, int[] pads, int[] dilations) {
    return new KernelWindow(kernelShape, strides, pads, dilations);
  }

  public int[] kernelShape() {
    return kernelShape.clone();
  }

  public int[] strides() {
    return strides.clone();
  }

  public int[] pads() {
    return pads.clone();
  }

  public int[] dilations() {
    return dilations.clone();
  }

  private static void requirePositive(String what, int[] values) {
    for (int v : values) {
      if (v <= 0) {
        throw new IllegalArgumentException(what + " must be > 0, got " + Arrays.toString(values));
      }
    }
  }

  @Override
  public String toString() {
    return "KernelWindow[kernel="
        + Arrays.toString(kernelShape)
        + ", strides="
        + Arrays.toString(strides)
        + ", pads="
        + Arrays.toString(pads)
        + ", dilations="
        + Arrays.toString(dilations)
        + "]";
  }
}
