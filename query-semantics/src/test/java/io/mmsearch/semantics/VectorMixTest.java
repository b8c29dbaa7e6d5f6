package io.mmsearch.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VectorMixTest {

  @Test
  void eachSourceIsUnitNormalisedBeforeItsWeightApplies() {
    // A long vector and a short one with equal weights mix to their bisector.
    float[] target =
        VectorMix.of(2)
            .add("a", new float[] {100, 0}, 1f)
            .add("b", new float[] {0, 0.01f}, 1f)
            .target();
    float h = (float) (1 / Math.sqrt(2));
    assertArrayEquals(new float[] {h, h}, target, 1e-7f);
  }

  @Test
  void weightsScaleTheUnitSources() {
    float[] target =
        VectorMix.of(2).add("a", new float[] {3, 0}, 3f).add("b", new float[] {0, 5}, 4f).target();
    assertArrayEquals(new float[] {0.6f, 0.8f}, target, 1e-7f);
  }

  @Test
  void aSingleSourceIsNormalisedWhateverItsWeight() {
    assertArrayEquals(
        new float[] {0.6f, 0.8f}, VectorMix.of(2).add("a", new float[] {6, 8}, 0.1f).target());
  }

  @Test
  void badSourcesAreRefusedNamingThem() {
    assertEquals(
        "the query vector has 3 dimensions, the index's model has 2",
        assertThrows(
                InvalidQueryException.class,
                () -> VectorMix.of(2).add("the query vector", new float[3], 1f))
            .getMessage());
    assertEquals(
        "v component 1 is NaN",
        assertThrows(
                InvalidQueryException.class,
                () -> VectorMix.of(2).add("v", new float[] {1, Float.NaN}, 1f))
            .getMessage());
    assertEquals(
        "v is the zero vector",
        assertThrows(InvalidQueryException.class, () -> VectorMix.of(2).add("v", new float[2], 1f))
            .getMessage());
    assertEquals(
        "the weight of v must be finite and >= 0, got -1.0",
        assertThrows(
                InvalidQueryException.class,
                () -> VectorMix.of(2).add("v", new float[] {1, 0}, -1f))
            .getMessage());
  }

  @Test
  void aMixWhoseWeightsAreAllZeroIsRefused() {
    VectorMix mix = VectorMix.of(2).add("a", new float[] {1, 0}, 0f);
    assertEquals(
        "the mixed query vector is zero (all weights are 0, or the parts cancel out): a",
        assertThrows(InvalidQueryException.class, mix::target).getMessage());
    assertThrows(InvalidQueryException.class, () -> VectorMix.of(2).target());
  }
}
