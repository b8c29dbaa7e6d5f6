package io.mmsearch.training.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest {

  static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** Unit rows: items 0 and 1 show the same thing (identical vectors), item 2 another. */
  static NDList predictions(float scale) {
    float[] rows = {1, 0, 0, 1, 0, 0, 0, 1, 0};
    NDArray v = manager.create(rows, new Shape(3, 3));
    return new NDList(v, v, manager.create(scale));
  }

  static float loss(ContrastiveLoss loss, NDList predictions, long... concepts) {
    return loss.evaluate(new NDList(manager.create(concepts)), predictions).getFloat();
  }

  @Test
  void sameConceptPairsAreNotNegatives() {
    ContrastiveLoss loss = new ContrastiveLoss(0, 1, 0.2f);
    float masked = loss(loss, predictions(10), 7, 7, 8);
    float unmasked = loss(loss, predictions(10), 7, 9, 8);
    // Masked: each row's only remaining negative is orthogonal, so the loss is tiny. Unmasked: the
    // twin counts as a negative as similar as the positive, so each twin's softmax is split in two.
    assertTrue(masked < 1e-3, "masked " + masked);
    assertEquals(Math.log(2) * 2 / 3, unmasked, 1e-3);
  }

  @Test
  void aCaptionThatAlsoDescribesAnotherConceptsImageIsNoNegativeOfIt() {
    ContrastiveLoss loss = new ContrastiveLoss(0, 1, 0.2f);
    // items 0 and 1 are different concepts, but item 1's caption (say a shared tag) describes both
    float[] describes = {0, 1, 0, 1, 0, 0, 0, 0, 0};
    float masked =
        loss.evaluate(
                new NDList(
                    manager.create(new long[] {7, 9, 8}),
                    manager.create(describes, new Shape(3, 3))),
                predictions(10))
            .getFloat();
    assertTrue(masked < 1e-3, "masked " + masked);
    assertEquals(Math.log(2) * 2 / 3, loss(loss, predictions(10), 7, 9, 8), 1e-3);
  }

  @Test
  void perfectlySeparatedPairsCostAlmostNothingAndTheMarginTermOnlyAdds() {
    ContrastiveLoss plain = new ContrastiveLoss(0, 1, 0.2f);
    ContrastiveLoss withMargin = new ContrastiveLoss(1, 2, 0.2f);
    long[] concepts = {1, 2, 3};
    float[] rows = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    NDArray v = manager.create(rows, new Shape(3, 3));
    NDList p = new NDList(v, v, manager.create(100f));
    assertTrue(plain.evaluate(new NDList(manager.create(concepts)), p).getFloat() < 1e-6);
    // Orthogonal negatives (cosine 0) are farther than the margin from positives (cosine 1).
    assertEquals(0f, withMargin.evaluate(new NDList(manager.create(concepts)), p).getFloat(), 1e-6);
  }

  @Test
  void hardNegativeTermPenalisesNegativesWithinTheMargin() {
    ContrastiveLoss withMargin = new ContrastiveLoss(1, 1, 0.5f);
    ContrastiveLoss plain = new ContrastiveLoss(0, 1, 0.5f);
    float c = (float) Math.sqrt(0.5);
    float[] images = {1, 0, c, c};
    float[] texts = {1, 0, 0, 1};
    NDList p =
        new NDList(
            manager.create(images, new Shape(2, 2)),
            manager.create(texts, new Shape(2, 2)),
            manager.create(10f));
    NDList labels = new NDList(manager.create(new long[] {1, 2}));
    float extra = withMargin.evaluate(labels, p).getFloat() - plain.evaluate(labels, p).getFloat();
    // Images: row 0 (pos 1, hardest negative 0) -> 0; row 1 (pos c, negative c) -> 0.5.
    // Texts: column 0 (pos 1, negative c) -> 0.5 - (1 - c); column 1 (pos c, negative 0) -> 0.
    double expected = ((0 + 0.5) / 2 + (0.5 - (1 - c) + 0) / 2) / 2;
    assertEquals(expected, extra, 1e-4);
  }
}
