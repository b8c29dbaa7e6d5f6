package io.mmsearch.tools.eval;

import io.mmsearch.encoders.TextEncoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Zero-shot class accuracy of an index: each class name is encoded as text (with {@code -} and
 * {@code _} read as spaces, so {@code animals-nature} becomes "animals nature"), and each image is
 * assigned to the class whose name vector is nearest to its image vector. Documents without a class
 * are left out. Stateless.
 */
public final class ZeroShotEvaluation {

  private ZeroShotEvaluation() {}

  /**
   * Classifies every document that has a class.
   *
   * @return the line with {@code accuracy}, {@code chance} (one over the number of classes) and
   *     {@code majority} (the share of the largest class), or empty if no document has a class
   */
  public static Optional<EvalLine> run(IndexedImages index, TextEncoder text) {
    Map<String, Integer> counts = index.classCounts();
    if (counts.isEmpty()) {
      return Optional.empty();
    }
    Map<String, float[]> classVectors = new LinkedHashMap<>();
    for (String name : counts.keySet()) {
      classVectors.put(name, text.encode(asText(name)));
    }
    ZeroShotClassifier classifier = new ZeroShotClassifier(classVectors);
    int total = 0;
    int correct = 0;
    for (int row = 0; row < index.size(); row++) {
      String truth = index.className(row);
      if (truth == null) {
        continue;
      }
      total++;
      if (classifier.classify(index.vectors().vector(row)).equals(truth)) {
        correct++;
      }
    }
    int largest = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("accuracy", correct / (double) total);
    figures.put("chance", 1.0 / counts.size());
    figures.put("majority", largest / (double) total);
    figures.put("classes", (double) counts.size());
    return Optional.of(
        new EvalLine(EvalTask.ZERO_SHOT_CLASS, EvalMode.VECTOR, null, total, figures));
  }

  /** The text a class name is encoded as. */
  public static String asText(String className) {
    return className.replace('-', ' ').replace('_', ' ');
  }
}
