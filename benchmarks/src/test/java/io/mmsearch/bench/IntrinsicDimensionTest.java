package io.mmsearch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IntrinsicDimensionTest {

  @Test
  void lowRankVectorsNeedNoMoreComponentsThanTheirStatedRank() {
    LowRankVectors generator = new LowRankVectors(128, 12, 50, 0.1, 1);
    float[] data = generator.sample(3000, 2);
    int pca = IntrinsicDimension.pca(data, 3000, 128, 0.9, 3000, 3);
    assertTrue(pca <= 12, "PCA dimension " + pca);
  }

  @Test
  void isotropicNoiseNeedsMostDimensions() {
    ClusteredVectors noise = new ClusteredVectors(64, 1, 10.0, 1);
    int pca = IntrinsicDimension.pca(noise.sample(4000, 2), 4000, 64, 0.9, 4000, 3);
    assertTrue(pca > 48, "PCA dimension " + pca);
  }

  @Test
  void rowsOfALowRankSetDoNotDependOnHowManyAreDrawn() {
    LowRankVectors generator = new LowRankVectors(16, 4, 5, 0.1, 1);
    float[] few = generator.sample(3, 9);
    float[] many = generator.sample(10, 9);
    for (int i = 0; i < few.length; i++) {
      assertEquals(few[i], many[i]);
    }
  }
}
