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
 * @param hue hue rotation uniform in {@code [-h, h]} turns of the colour wheel (0.5 = any hue)
 * @param grayscale probability of dropping all colour
 * @param blurSharpen strength uniform in {@code [-b, b]}: negative blurs (3x3 Gaussian, fully at
 *     -1), positive sharpens (unsharp mask, {@code x + b (x - blur(x))})
 * @param outline probability of a 3x3 minimum or maximum filter (even odds), which thickens or
 *     thins dark strokes and outlines, as drawing styles differ in line weight
 * @param zoomOut the image is shrunk by a factor uniform in {@code [1 - z, 1]} and placed at a
 *     random position (background around it), as styles differ in margins and size
 */
public record Augmentation(
    @JsonProperty("horizontalFlip") double horizontalFlip,
    @JsonProperty("maxRotationDegrees") double maxRotationDegrees,
    @JsonProperty("minCropScale") double minCropScale,
    @JsonProperty("brightness") double brightness,
    @JsonProperty("contrast") double contrast,
    @JsonProperty("saturation") double saturation,
    @JsonProperty("hue") double hue,
    @JsonProperty("grayscale") double grayscale,
    @JsonProperty("blurSharpen") double blurSharpen,
    @JsonProperty("outline") double outline,
    @JsonProperty("zoomOut") double zoomOut) {

  public Augmentation {
    check("horizontalFlip", horizontalFlip, 0, 1);
    check("maxRotationDegrees", maxRotationDegrees, 0, 180);
    check("minCropScale", minCropScale, 0.05, 1);
    check("brightness", brightness, 0, 1);
    check("contrast", contrast, 0, 1);
    check("saturation", saturation, 0, 1);
    check("hue", hue, 0, 0.5);
    check("grayscale", grayscale, 0, 1);
    check("blurSharpen", blurSharpen, 0, 1);
    check("outline", outline, 0, 1);
    check("zoomOut", zoomOut, 0, 0.8);
  }

  /**
   * Mild defaults: flip 0.5, rotation 10 degrees, crop 0.7-1.0 of the area, jitter 0.2; no style
   * changes.
   */
  public static Augmentation defaults() {
    return new Augmentation(0.5, 10, 0.7, 0.2, 0.2, 0.2, 0, 0, 0, 0, 0);
  }

  /**
   * {@link #defaults()} plus the style changes that separate one emoji set's drawings from
   * another's: hue up to 0.1 turn, grayscale 0.1, blur/sharpen up to 0.8, line weight 0.3, zoom out
   * up to 0.3.
   */
  public static Augmentation styleRobust() {
    return new Augmentation(0.5, 10, 0.7, 0.3, 0.3, 0.3, 0.1, 0.1, 0.8, 0.3, 0.3);
  }

  /** No augmentation at all. */
  public static Augmentation none() {
    return new Augmentation(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** Whether this changes any image. */
  public boolean isIdentity() {
    return horizontalFlip == 0
        && maxRotationDegrees == 0
        && minCropScale == 1
        && brightness == 0
        && contrast == 0
        && saturation == 0
        && hue == 0
        && grayscale == 0
        && blurSharpen == 0
        && outline == 0
        && zoomOut == 0;
  }

  private static void check(String name, double v, double min, double max) {
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(
          "augmentation " + name + " must be in [" + min + ", " + max + "], got " + v);
    }
  }
}
