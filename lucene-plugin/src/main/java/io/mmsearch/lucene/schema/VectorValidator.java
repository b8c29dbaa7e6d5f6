package io.mmsearch.lucene.schema;

/**
 * Checks vectors before they reach Lucene: dimension equal to the model's, every component finite,
 * and L2 norm within a tolerance of 1 (the dot-product similarity is only a cosine on unit
 * vectors).
 *
 * <p>Immutable and thread-safe.
 */
public final class VectorValidator {

  /** Default allowed deviation of the L2 norm from 1. */
  public static final float DEFAULT_UNIT_TOLERANCE = 1e-3f;

  private final int dimension;
  private final float unitTolerance;

  /**
   * @param dimension the required dimension
   * @param unitTolerance allowed {@code |norm - 1|}, in (0, 1)
   */
  public VectorValidator(int dimension, float unitTolerance) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    if (!(unitTolerance > 0 && unitTolerance < 1)) {
      throw new IllegalArgumentException("unit tolerance must be in (0, 1), got " + unitTolerance);
    }
    this.dimension = dimension;
    this.unitTolerance = unitTolerance;
  }

  public int dimension() {
    return dimension;
  }

  /**
   * Returns null if the vector is valid, else the reason it is not (naming the field).
   *
   * @param field the field name, for the message
   */
  public String problem(String field, float[] vector) {
    if (vector.length != dimension) {
      return field + " has " + vector.length + " dimensions, the model has " + dimension;
    }
    double squares = 0;
    for (int i = 0; i < vector.length; i++) {
      float v = vector[i];
      if (!Float.isFinite(v)) {
        return field + " component " + i + " is " + v + " (not finite)";
      }
      squares += (double) v * v;
    }
    double norm = Math.sqrt(squares);
    if (Math.abs(norm - 1) > unitTolerance) {
      return field
          + " is not unit length: L2 norm "
          + (float) norm
          + " differs from 1 by more than "
          + unitTolerance;
    }
    return null;
  }

  /**
   * Validates all vectors of a document.
   *
   * @throws InvalidDocumentException naming the document id and the reason
   */
  public void validate(ImageDocument document) {
    String problem = problem(ImageSchema.IMAGE_VECTOR, document.imageVectorUnsafe());
    if (problem != null) {
      throw new InvalidDocumentException(document.id(), ImageSchema.IMAGE_VECTOR, problem);
    }
    if (document.captionVectorUnsafe() != null) {
      problem = problem(ImageSchema.CAPTION_VECTOR, document.captionVectorUnsafe());
      if (problem != null) {
        throw new InvalidDocumentException(document.id(), ImageSchema.CAPTION_VECTOR, problem);
      }
    }
  }

  /**
   * Validates a query vector.
   *
   * @throws IllegalArgumentException naming {@code what} and the reason
   */
  public void validateQuery(String what, float[] vector) {
    String problem = problem(what, vector);
    if (problem != null) {
      throw new IllegalArgumentException("invalid query vector: " + problem);
    }
  }
}
