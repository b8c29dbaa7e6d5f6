package io.mmsearch.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mmsearch.encoders.image.ImageInputSpec;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageAugmenterTest {

  static final ImageInputSpec SPEC = ImageInputSpec.defaults();

  static float[] image() {
    Random r = new Random(1);
    float[] t = new float[3 * SPEC.size() * SPEC.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) r.nextGaussian();
    }
    return t;
  }

  static float[] augment(Augmentation a, long seed) {
    float[] out = new float[3 * SPEC.size() * SPEC.size()];
    new ImageAugmenter(a, SPEC).augment(image(), new SplittableRandom(seed), out, 0);
    return out;
  }

  @Test
  void theSameSeedGivesTheSameImage() {
    assertArrayEquals(augment(Augmentation.defaults(), 9), augment(Augmentation.defaults(), 9));
  }

  @Test
  void differentSeedsGiveDifferentImages() {
    assertFalse(
        Arrays.equals(augment(Augmentation.defaults(), 9), augment(Augmentation.defaults(), 10)));
  }

  @Test
  void noAugmentationLeavesTheServingTensorUntouched() {
    assertArrayEquals(image(), augment(Augmentation.none(), 9));
  }

  @Test
  void aFlipAloneMirrorsEachRow() {
    float[] flipped = augment(new Augmentation(1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), 1);
    float[] source = image();
    int s = SPEC.size();
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          float expected = source[c * s * s + y * s + (s - 1 - x)];
          float actual = flipped[c * s * s + y * s + x];
          // values pass through [0, 1] clamping: compare only in-range pixels
          float raw = expected * SPEC.std()[c] + SPEC.mean()[c];
          if (raw >= 0 && raw <= 1) {
            org.junit.jupiter.api.Assertions.assertEquals(expected, actual, 1e-4);
          }
        }
      }
    }
  }

  @Test
  void styleAugmentationIsReproducibleAndChangesTheImage() {
    float[] a = augment(Augmentation.styleRobust(), 4);
    assertArrayEquals(a, augment(Augmentation.styleRobust(), 4));
    assertFalse(Arrays.equals(a, augment(Augmentation.defaults(), 4)));
    for (float v : a) {
      org.junit.jupiter.api.Assertions.assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void grayscaleLeavesEqualChannels() {
    float[] gray = augment(new Augmentation(0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0), 2);
    int plane = SPEC.size() * SPEC.size();
    for (int p = 0; p < plane; p++) {
      float r = gray[p] * SPEC.std()[0] + SPEC.mean()[0];
      float g = gray[plane + p] * SPEC.std()[1] + SPEC.mean()[1];
      float b = gray[2 * plane + p] * SPEC.std()[2] + SPEC.mean()[2];
      org.junit.jupiter.api.Assertions.assertEquals(r, g, 1e-5);
      org.junit.jupiter.api.Assertions.assertEquals(r, b, 1e-5);
    }
  }

  @Test
  void zoomOutShrinksTheImageIntoTheBackground() {
    float[] zoomed = augment(new Augmentation(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0.8), 3);
    int s = SPEC.size();
    int bg = SPEC.background();
    float red = ((bg >> 16) & 0xFF) / 255f;
    int backgroundPixels = 0;
    for (int p = 0; p < s * s; p++) {
      if (Math.abs(zoomed[p] * SPEC.std()[0] + SPEC.mean()[0] - red) < 1e-4) {
        backgroundPixels++;
      }
    }
    // a shrink by at least 1 - 0.8 * u leaves a margin of background in all but the rarest draws
    org.junit.jupiter.api.Assertions.assertTrue(backgroundPixels > s, backgroundPixels + " px");
  }
}
