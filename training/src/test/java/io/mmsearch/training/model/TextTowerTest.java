package io.mmsearch.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTowerTest {

  static final DualEncoderConfig CONFIG = new DualEncoderConfig(16, List.of(4), 8, 6, 5, 20, 10);

  static float[] encode(DualEncoder model, NDManager m, long[] tokens, int steps, long length) {
    return model
        .textTower()
        .forward(
            new ParameterStore(m, false),
            new NDList(m.create(tokens, new Shape(1, steps)), m.create(new long[] {length})),
            false)
        .head()
        .toFloatArray();
  }

  @Test
  void outputDependsOnlyOnTheRealTokensNotOnPaddingOrItsLength() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      DualEncoder model = new DualEncoder(CONFIG);
      model.initialize(m);
      float[] exact = encode(model, m, new long[] {3, 4, 5}, 3, 3);
      float[] padded = encode(model, m, new long[] {3, 4, 5, 0, 0, 0, 0, 0}, 8, 3);
      float[] garbage = encode(model, m, new long[] {3, 4, 5, 9, 9, 9, 9, 9, 9, 9}, 10, 3);
      assertArrayEquals(exact, padded, 1e-6f);
      assertArrayEquals(exact, garbage, 1e-6f);
      double norm = 0;
      for (float v : exact) {
        norm += v * v;
      }
      assertEquals(1, norm, 1e-5);
    }
  }
}
