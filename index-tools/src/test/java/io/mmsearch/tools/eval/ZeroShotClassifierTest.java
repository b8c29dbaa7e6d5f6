package io.mmsearch.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ZeroShotClassifierTest {

  @Test
  void assignsTheClassWithTheLargestDotProduct() {
    ZeroShotClassifier classifier =
        new ZeroShotClassifier(Map.of("animals", new float[] {1, 0}, "flags", new float[] {0, 1}));
    assertEquals("flags", classifier.classify(new float[] {0.6f, 0.8f}));
    assertEquals("animals", classifier.classify(new float[] {0.8f, 0.6f}));
  }

  @Test
  void tiesGoToTheClassNameSortingFirst() {
    ZeroShotClassifier classifier =
        new ZeroShotClassifier(Map.of("b", new float[] {1, 0}, "a", new float[] {1, 0}));
    assertEquals("a", classifier.classify(new float[] {1, 0}));
  }

  @Test
  void noClassesIsAnError() {
    assertThrows(EvalInputException.class, () -> new ZeroShotClassifier(Map.of()));
  }
}
