package io.mmsearch.tools.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.util.VectorUtil;

/**
 * Assigns a vector to the class whose name vector is nearest by dot product (the vectors are
 * L2-normalised, so this is cosine similarity): CLIP-style zero-shot classification. Ties go to the
 * class name that sorts first. Immutable and thread-safe.
 */
public final class ZeroShotClassifier {

  private final List<String> classes;
  private final List<float[]> classVectors;

  /**
   * @param classVectors each class name and the text encoder's vector of it (copied)
   */
  public ZeroShotClassifier(Map<String, float[]> classVectors) {
    if (classVectors.isEmpty()) {
      throw new EvalInputException("zero-shot classification needs at least one class");
    }
    this.classes = classVectors.keySet().stream().sorted().toList();
    this.classVectors = new ArrayList<>();
    int dimension = -1;
    for (String name : classes) {
      float[] v = Objects.requireNonNull(classVectors.get(name), name);
      if (dimension >= 0 && v.length != dimension) {
        throw new IllegalArgumentException(
            "class " + name + " has a " + v.length + "-d vector, others are " + dimension + "-d");
      }
      dimension = v.length;
      this.classVectors.add(v.clone());
    }
  }

  /** The class names, sorted. */
  public List<String> classes() {
    return classes;
  }

  /** The class whose name vector is nearest to {@code vector}. */
  public String classify(float[] vector) {
    String best = null;
    float bestScore = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < classes.size(); i++) {
      float score = VectorUtil.dotProduct(vector, classVectors.get(i));
      if (score > bestScore) {
        bestScore = score;
        best = classes.get(i);
      }
    }
    return best;
  }
}
