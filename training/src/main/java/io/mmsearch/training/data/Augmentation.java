package io.mmsearch.training.data;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How training images are perturbed on the fly. Validation images never are. Immutable.
 *
 * @param horizontalFlip probability of a left-right flip
 * @param maxRotationDegrees rotations are uniform in {@code [-max, max]} degrees
 * @param minCropScale random resized crop: the crop's area is uniform in {@code [min, 1]} of the
 *     image (aspect ratio in [3/4, 4/3]), then scaled back to the input size
 * @param brightness brightness factor uniform in {@code [1 - b, 1 + b]}
 * @param contrast contrast factor uniform in {@code [1 - c, 1 + c]}
 * @param saturation saturation factor uniform in {@code [1 - s, 1 + s]}
 */
public record Augmentation(
    @JsonProperty("horizontalFlip") double horizontalFlip,
    @JsonProperty("maxRotationDegrees") double maxRotationDegrees,
    @JsonProperty("minCropScale") double minCropScale,
    @JsonProperty("brightness") double brightness,
    @JsonProperty("contrast") double contrast,
    @JsonProperty("saturation") double saturation) {

  public Augmentation {
    check("horizontalFlip", horizontalFlip, 0, 1);
    check("maxRotationDegrees", maxRotationDegrees, 0, 180);
    check("minCropScale", minCropScale, 0.05, 1);
    check("brightness", brightness, 0, 1);
    check("contrast", contrast, 0, 1);
    check("saturation", saturation, 0, 1);
  }

  /** Mild defaults: flip 0.5, rotation 10 degrees, crop 0.7-1.0 of the area, jitter 0.2. */
  public static Augmentation defaults() {
    return new Augmentation(0.5, 10, 0.7, 0.2, 0.2, 0.2);
  }

  /** No augmentation at all. */
  public static Augmentation none() {
    return new Augmentation(0, 0, 1, 0, 0, 0);
  }

  /** Whether this changes any image. */
  public boolean isIdentity() {
    return horizontalFlip == 0
        && maxRotationDegrees == 0
        && minCropScale == 1
        && brightness == 0
        && contrast == 0
        && saturation == 0;
  }

  private static void check(String name, double v, double min, double max) {
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(
          "augmentation " + name + " must be in [" + min + ", " + max + "], got " + v);
    }
  }
}
