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
    float[] flipped = augment(new Augmentation(1, 0, 1, 0, 0, 0), 1);
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
}
