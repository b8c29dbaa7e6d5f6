package io.mmsearch.encoders.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * What an image encoder expects as input, as declared by a model bundle's {@code bundle.json}.
 *
 * <p>Immutable and thread-safe. Channel order of {@link #mean()} and {@link #std()} is RGB; the
 * tensor the preprocessor produces is float32 in CHW layout with values {@code (pixel/255 - mean) /
 * std}.
 *
 * @param size side length in pixels of the square model input
 * @param channels number of colour channels (3 for RGB)
 * @param mean per-channel mean subtracted after scaling pixels to [0, 1]
 * @param std per-channel standard deviation divided after subtracting the mean
 * @param resize how the decoded image is brought to {@code size x size}
 * @param background RGB colour (0xRRGGBB) that transparent pixels are composited onto
 */
public record ImageInputSpec(
    int size, int channels, float[] mean, float[] std, ResizePolicy resize, int background) {

  /** How a non-square or differently sized image becomes the square model input. */
  public enum ResizePolicy {
    /** Scale the shorter side to {@code size}, then cut the centre square. */
    RESIZE_SHORTER_CENTER_CROP,
    /** Scale the longer side to {@code size} and pad the rest with the background colour. */
    RESIZE_LONGER_PAD,
    /** Scale both sides to {@code size}, ignoring the aspect ratio. */
    STRETCH
  }

  public ImageInputSpec {
    if (size <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + size);
    }
    if (channels != 3) {
      throw new IllegalArgumentException("only 3-channel RGB input is supported, got " + channels);
    }
    Objects.requireNonNull(resize, "resize");
    mean = Objects.requireNonNull(mean, "mean").clone();
    std = Objects.requireNonNull(std, "std").clone();
    if (mean.length != channels || std.length != channels) {
      throw new IllegalArgumentException(
          "mean and std need " + channels + " values, got " + mean.length + " and " + std.length);
    }
    for (float s : std) {
      if (!(s > 0f) || !Float.isFinite(s)) {
        throw new IllegalArgumentException(
            "std values must be positive and finite: " + Arrays.toString(std));
      }
    }
  }

  /** The default for models this project trains: 64 px, CLIP's mean/std, centre crop, white. */
  public static ImageInputSpec defaults() {
    return new ImageInputSpec(
        64,
        3,
        new float[] {0.48145466f, 0.4578275f, 0.40821073f},
        new float[] {0.26862954f, 0.26130258f, 0.27577711f},
        ResizePolicy.RESIZE_SHORTER_CENTER_CROP,
        0xFFFFFF);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageInputSpec s
        && size == s.size
        && channels == s.channels
        && Arrays.equals(mean, s.mean)
        && Arrays.equals(std, s.std)
        && resize == s.resize
        && background == s.background;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        size, channels, Arrays.hashCode(mean), Arrays.hashCode(std), resize, background);
  }

  @Override
  public String toString() {
    return "ImageInputSpec[size="
        + size
        + ", channels="
        + channels
        + ", mean="
        + Arrays.toString(mean)
        + ", std="
        + Arrays.toString(std)
        + ", resize="
        + resize
        + ", background=#"
        + String.format("%06X", background)
        + "]";
  }
}
