package io.mmsearch.training.data;

import io.mmsearch.encoders.image.ImageInputSpec;
import java.util.SplittableRandom;

/**
 * Applies an {@link Augmentation} to an image that the shared {@code ImagePreprocessor} has already
 * turned into a normalised CHW tensor, writing a new tensor of the same shape.
 *
 * <p>Working on the preprocessed tensor keeps training and serving on one code path: an image with
 * no augmentation is bit-identical to what the encoders feed the model. Geometry (flip, rotation,
 * random resized crop) is one inverse affine map sampled bilinearly; pixels that fall outside the
 * source take the spec's background colour, as transparent pixels do; zoom-out is part of the same
 * map. Then, on [0, 1] values: colour jitter (brightness, contrast, saturation), hue rotation,
 * grayscale, line weight (3x3 minimum or maximum filter) and blur or sharpen, in that order, with
 * clamping at the end.
 *
 * <p>Immutable and thread-safe; all randomness comes from the caller's generator, so a seeded
 * generator reproduces the same output.
 */
public final class ImageAugmenter {

  private final Augmentation augmentation;
  private final int size;
  private final float[] mean;
  private final float[] std;
  private final float[] background;

  public ImageAugmenter(Augmentation augmentation, ImageInputSpec spec) {
    this.augmentation = augmentation;
    this.size = spec.size();
    this.mean = spec.mean();
    this.std = spec.std();
    int bg = spec.background();
    this.background =
        new float[] {((bg >> 16) & 0xFF) / 255f, ((bg >> 8) & 0xFF) / 255f, (bg & 0xFF) / 255f};
  }

  /**
   * Writes an augmented copy of {@code source} into {@code target[offset ..]}.
   *
   * @param source a normalised {@code [3, size, size]} tensor (not modified)
   * @param random the only source of randomness
   */
  public void augment(float[] source, SplittableRandom random, float[] target, int offset) {
    int plane = size * size;
    if (augmentation.isIdentity()) {
      System.arraycopy(source, 0, target, offset, 3 * plane);
      return;
    }
    boolean flip = random.nextDouble() < augmentation.horizontalFlip();
    double angle =
        Math.toRadians((random.nextDouble() * 2 - 1) * augmentation.maxRotationDegrees());
    double area =
        augmentation.minCropScale() + random.nextDouble() * (1 - augmentation.minCropScale());
    double logRatio = Math.log(3.0 / 4) + random.nextDouble() * Math.log((4.0 / 3) / (3.0 / 4));
    double ratio = Math.exp(logRatio);
    // A minimum crop scale of 1 means no cropping at all, not an aspect-ratio squeeze.
    boolean crop = augmentation.minCropScale() < 1;
    double cropW = crop ? Math.min(1, Math.sqrt(area * ratio)) : 1;
    double cropH = crop ? Math.min(1, Math.sqrt(area / ratio)) : 1;
    double centreX = cropW / 2 + random.nextDouble() * (1 - cropW);
    double centreY = cropH / 2 + random.nextDouble() * (1 - cropH);
    float bright = jitter(random, augmentation.brightness());
    float contrast = jitter(random, augmentation.contrast());
    float saturation = jitter(random, augmentation.saturation());
    // Style draws come after the original ones, so a config without them reproduces old batches.
    double hueTurns = (random.nextDouble() * 2 - 1) * augmentation.hue();
    boolean grayscale = random.nextDouble() < augmentation.grayscale();
    boolean outline = random.nextDouble() < augmentation.outline();
    boolean thicken = random.nextBoolean();
    double sharpen = (random.nextDouble() * 2 - 1) * augmentation.blurSharpen();
    double zoom = 1 - random.nextDouble() * augmentation.zoomOut();
    // where the shrunk image sits: its centre moves within the freed margin
    double shiftX = (random.nextDouble() - 0.5) * (1 - zoom);
    double shiftY = (random.nextDouble() - 0.5) * (1 - zoom);

    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    float[] rgb = new float[3];
    float[] out = new float[3 * plane];
    double graySum = 0;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double u = ((x + 0.5) / size - 0.5 - shiftX) / zoom;
        double v = ((y + 0.5) / size - 0.5 - shiftY) / zoom;
        if (flip) {
          u = -u;
        }
        double ru = cos * u - sin * v;
        double rv = sin * u + cos * v;
        double sx = (centreX + ru * cropW) * size - 0.5;
        double sy = (centreY + rv * cropH) * size - 0.5;
        sample(source, sx, sy, rgb);
        int p = y * size + x;
        for (int c = 0; c < 3; c++) {
          out[c * plane + p] = rgb[c] * bright;
        }
        graySum += gray(out[p], out[plane + p], out[2 * plane + p]);
      }
    }
    float grayMean = (float) (graySum / plane);
    float[] hueRotation = hueTurns == 0 ? null : hueRotation(hueTurns);
    for (int p = 0; p < plane; p++) {
      float r = (out[p] - grayMean) * contrast + grayMean;
      float g = (out[plane + p] - grayMean) * contrast + grayMean;
      float b = (out[2 * plane + p] - grayMean) * contrast + grayMean;
      float l = gray(r, g, b);
      r = grayscale ? l : l + (r - l) * saturation;
      g = grayscale ? l : l + (g - l) * saturation;
      b = grayscale ? l : l + (b - l) * saturation;
      if (hueRotation != null && !grayscale) {
        float[] m = hueRotation;
        float nr = m[0] * r + m[1] * g + m[2] * b;
        float ng = m[3] * r + m[4] * g + m[5] * b;
        float nb = m[6] * r + m[7] * g + m[8] * b;
        r = nr;
        g = ng;
        b = nb;
      }
      out[p] = r;
      out[plane + p] = g;
      out[2 * plane + p] = b;
    }
    if (outline) {
      out = rankFilter(out, thicken);
    }
    if (sharpen != 0) {
      out = blurOrSharpen(out, (float) sharpen);
    }
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < plane; p++) {
        target[offset + c * plane + p] = normalise(out[c * plane + p], c);
      }
    }
  }

  /**
   * The RGB matrix rotating hue by {@code turns} around the gray axis (luminance kept), row-major.
   */
  private static float[] hueRotation(double turns) {
    double a = turns * 2 * Math.PI;
    double cos = Math.cos(a);
    double sin = Math.sin(a);
    double k = (1 - cos) / 3;
    double s = Math.sqrt(1 / 3.0) * sin;
    return new float[] {
      (float) (cos + k), (float) (k - s), (float) (k + s),
      (float) (k + s), (float) (cos + k), (float) (k - s),
      (float) (k - s), (float) (k + s), (float) (cos + k)
    };
  }

  /** 3x3 minimum (thicker dark lines) or maximum (thinner) per channel, edges clamped. */
  private float[] rankFilter(float[] in, boolean minimum) {
    float[] result = new float[in.length];
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          float best = in[c * plane + y * size + x];
          for (int dy = -1; dy <= 1; dy++) {
            int yy = Math.min(size - 1, Math.max(0, y + dy));
            for (int dx = -1; dx <= 1; dx++) {
              int xx = Math.min(size - 1, Math.max(0, x + dx));
              float v = in[c * plane + yy * size + xx];
              best = minimum ? Math.min(best, v) : Math.max(best, v);
            }
          }
          result[c * plane + y * size + x] = best;
        }
      }
    }
    return result;
  }

  /**
   * {@code amount < 0}: mix towards a 3x3 Gaussian blur ({@code -1} = fully blurred); {@code > 0}:
   * unsharp mask {@code x + amount * (x - blur)}.
   */
  private float[] blurOrSharpen(float[] in, float amount) {
    float[] result = new float[in.length];
    int plane = size * size;
    float[] kernel = {1, 2, 1};
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          float sum = 0;
          for (int dy = -1; dy <= 1; dy++) {
            int yy = Math.min(size - 1, Math.max(0, y + dy));
            for (int dx = -1; dx <= 1; dx++) {
              int xx = Math.min(size - 1, Math.max(0, x + dx));
              sum += kernel[dy + 1] * kernel[dx + 1] * in[c * plane + yy * size + xx];
            }
          }
          float blurred = sum / 16;
          int i = c * plane + y * size + x;
          result[i] =
              amount < 0
                  ? in[i] + (-amount) * (blurred - in[i])
                  : in[i] + amount * (in[i] - blurred);
        }
      }
    }
    return result;
  }

  private static float jitter(SplittableRandom random, double amount) {
    return (float) (1 + (random.nextDouble() * 2 - 1) * amount);
  }

  private static float gray(float r, float g, float b) {
    return 0.299f * r + 0.587f * g + 0.114f * b;
  }

  private float normalise(float value, int channel) {
    float clamped = Math.min(1f, Math.max(0f, value));
    return (clamped - mean[channel]) / std[channel];
  }

  /** Bilinear sample in [0, 1] RGB at pixel coordinates (x, y); outside is the background. */
  private void sample(float[] source, double x, double y, float[] rgb) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    float fx = (float) (x - x0);
    float fy = (float) (y - y0);
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      float a = pixel(source, c, x0, y0, plane);
      float b = pixel(source, c, x0 + 1, y0, plane);
      float d = pixel(source, c, x0, y0 + 1, plane);
      float e = pixel(source, c, x0 + 1, y0 + 1, plane);
      float top = a + (b - a) * fx;
      float bottom = d + (e - d) * fx;
      rgb[c] = top + (bottom - top) * fy;
    }
  }

  private float pixel(float[] source, int c, int x, int y, int plane) {
    if (x < 0 || y < 0 || x >= size || y >= size) {
      return background[c];
    }
    return source[c * plane + y * size + x] * std[c] + mean[c];
  }
}
