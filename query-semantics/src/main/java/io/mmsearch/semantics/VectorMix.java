package io.mmsearch.semantics;

import java.util.ArrayList;
import java.util.List;

/**
 * Mixes the vector sources of a request (query text, a query image, raw vectors, documents to find
 * more like: each already resolved to a vector by the engine) into one unit query vector:
 *
 * <pre>target = normalise(Σ_i w_i · v_i / |v_i|)</pre>
 *
 * Each source is checked (the model's dimension, every component finite, not zero) and
 * unit-normalised once, so its length never acts as a weight; the weighted sum is normalised once.
 * A single source's weight therefore does not matter, and {@code 2·text + like} means {@code 2t̂ +
 * l̂} whatever lengths the sources had. Arithmetic in double, in the order the sources were added;
 * the target is returned as float.
 *
 * <p><b>Negative examples</b> (relevance feedback, Rocchio's method in the embedding space) enter
 * with the opposite sign: {@link #subtract} adds {@code -w · v̂}, so
 *
 * <pre>target = normalise(Σ_pos w_i · p̂_i − Σ_neg w_j · n̂_j)</pre>
 *
 * moves the query towards the positive sources and away from the negative ones. A negative example
 * only has meaning relative to something to look for: a mix with negative sources and no positive
 * one is refused, as is a mix whose parts cancel out. A builder is used once, by one thread.
 */
public final class VectorMix {
  /**
   * The weight of a negative example a user gives without one (Rocchio's γ relative to a positive
   * part's 1), the default of every front end; chosen by the feedback evaluation in
   * docs/quality.md, "Relevance feedback": the smallest weight measured (0.15) was the only one
   * that did not lower residual recall when the user also gave positive examples; larger weights
   * lowered it.
   */
  public static final float DEFAULT_NEGATIVE_WEIGHT = 0.15f;

  private final int dimension;
  private final List<String> labels = new ArrayList<>();
  private final List<String> negativeLabels = new ArrayList<>();
  private final double[] sum;
  private double positiveWeight;

  private VectorMix(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    this.dimension = dimension;
    this.sum = new double[dimension];
  }

  /** A mix of vectors of the model's {@code dimension}. */
  public static VectorMix of(int dimension) {
    return new VectorMix(dimension);
  }

  /**
   * Adds a source.
   *
   * @param label names the source in error messages, e.g. {@code "the vector of text 'cat'"}
   * @param vector the source's vector, any non-zero length
   * @param weight its mixing weight, finite and {@code >= 0}
   * @throws InvalidQueryException if the vector has another dimension, a component that is not
   *     finite, or is zero, or the weight is negative or not finite; the message names the source
   */
  public VectorMix add(String label, float[] vector, float weight) {
    accumulate(label, vector, weight, 1);
    labels.add(label);
    positiveWeight += weight;
    return this;
  }

  /**
   * Adds a negative example: a source the target moves away from, {@code -weight · v̂}.
   *
   * @param label names the source in error messages, e.g. {@code "the vector of document 'x'"}
   * @param vector the source's vector, any non-zero length
   * @param weight how strongly to move away, finite and {@code >= 0}
   * @throws InvalidQueryException as {@link #add}
   */
  public VectorMix subtract(String label, float[] vector, float weight) {
    accumulate(label, vector, weight, -1);
    negativeLabels.add(label);
    return this;
  }

  private void accumulate(String label, float[] vector, float weight, int sign) {
    Fusion.requireWeight("the weight of " + label, weight);
    double norm = checkedNorm(label, vector);
    double scale = sign * (weight / norm);
    for (int i = 0; i < dimension; i++) {
      sum[i] += scale * vector[i];
    }
  }

  /**
   * The unit target vector.
   *
   * @throws InvalidQueryException if no positive source was added (nothing, or negative examples
   *     only, or positive sources that all weigh 0), or the weighted sum is zero (all weights 0, or
   *     the sources cancel out)
   */
  public float[] target() {
    if (!negativeLabels.isEmpty() && !(positiveWeight > 0)) {
      throw new InvalidQueryException(
          "negative examples alone give no direction to search in ("
              + String.join(", ", negativeLabels)
              + "): add something to look for (text, an image, a vector or a document to find"
              + " more like)");
    }
    if (labels.isEmpty()) {
      throw new InvalidQueryException("the request has no vector part");
    }
    double squares = 0;
    for (double x : sum) {
      squares += x * x;
    }
    double norm = Math.sqrt(squares);
    if (!(norm > 0)) {
      throw new InvalidQueryException(
          "the mixed query vector is zero (all weights are 0, or the parts cancel out): "
              + String.join(", ", labels)
              + (negativeLabels.isEmpty() ? "" : " minus " + String.join(", ", negativeLabels)));
    }
    float[] target = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      target[i] = (float) (sum[i] / norm);
    }
    return target;
  }

  private double checkedNorm(String label, float[] v) {
    if (v.length != dimension) {
      throw new InvalidQueryException(
          label + " has " + v.length + " dimensions, the index's model has " + dimension);
    }
    double squares = 0;
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new InvalidQueryException(label + " component " + i + " is " + v[i]);
      }
      squares += (double) v[i] * v[i];
    }
    if (!(squares > 0)) {
      throw new InvalidQueryException(label + " is the zero vector");
    }
    return Math.sqrt(squares);
  }
}
