package io.mmsearch.lucene.search;

import io.mmsearch.semantics.Fusion;
import java.util.Arrays;
import java.util.Objects;

/**
 * One source of a request's query vector, with its mixing weight: query text or image bytes (both
 * embedded by the searcher's {@code QueryEncoder}), a raw vector, or the stored vector of an
 * indexed document ("more like this"). {@link QueryVectorMixer} turns the parts of a request into
 * one unit vector: each part unit-normalised, weighted, summed, and the sum normalised.
 *
 * <p>Immutable value objects with {@code equals}/{@code hashCode} by content (arrays included, and
 * copied in and out).
 */
public sealed interface VectorPart {

  /** The mixing weight, finite and {@code >= 0}. */
  float weight();

  /** Query text, embedded by the text encoder. */
  record Text(String text, float weight) implements VectorPart {
    public Text {
      Objects.requireNonNull(text, "text");
      checkWeight(weight);
    }
  }

  /** The bytes of a query image file, embedded by the image encoder. */
  record Image(byte[] bytes, float weight) implements VectorPart {
    public Image {
      bytes = Objects.requireNonNull(bytes, "bytes").clone();
      checkWeight(weight);
    }

    /** A copy of the image bytes. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Image i && sameContent(bytes, weight, i.bytes, i.weight);
    }

    @Override
    public int hashCode() {
      return contentHash(bytes, weight);
    }

    @Override
    public String toString() {
      return "Image[" + bytes.length + " bytes, weight=" + weight + "]";
    }
  }

  /** A raw vector in the index's embedding space. */
  record Raw(float[] vector, float weight) implements VectorPart {
    public Raw {
      vector = Objects.requireNonNull(vector, "vector").clone();
      checkWeight(weight);
    }

    /** A copy of the vector. */
    @Override
    public float[] vector() {
      return vector.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Raw r && sameContent(vector, weight, r.vector, r.weight);
    }

    @Override
    public int hashCode() {
      return contentHash(vector, weight);
    }

    @Override
    public String toString() {
      return "Raw[" + vector.length + " dimensions, weight=" + weight + "]";
    }
  }

  /**
   * The stored full-precision vector of the indexed document with this id; that document is left
   * out of the results.
   */
  record Like(String id, float weight) implements VectorPart {
    public Like {
      Objects.requireNonNull(id, "id");
      checkWeight(weight);
    }
  }

  private static void checkWeight(float weight) {
    Fusion.requireWeight("a vector weight", weight);
  }

  /** Equality by array content (any primitive array) and weight, for the array-holding parts. */
  private static boolean sameContent(Object array, float weight, Object otherArray, float other) {
    return Objects.deepEquals(array, otherArray) && Float.compare(weight, other) == 0;
  }

  private static int contentHash(Object array, float weight) {
    return 31 * Arrays.deepHashCode(new Object[] {array}) + Float.hashCode(weight);
  }
}
