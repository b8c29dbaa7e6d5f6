package io.mmsearch.lucene.schema;

import io.mmsearch.encoders.bundle.ModelIdentity;

/**
 * Thrown when an index is opened (for writing or searching), or a query encoder is attached, with a
 * model different from the one the index was built with. The message names both fingerprints and
 * both dimensions.
 */
public class ModelMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ModelIdentity indexIdentity;
  private final transient ModelIdentity requestedIdentity;

  public ModelMismatchException(
      String what, ModelIdentity indexIdentity, ModelIdentity requestedIdentity) {
    super(
        what
            + ": the index was built with model "
            + indexIdentity.fingerprint()
            + " (dimension "
            + indexIdentity.dimension()
            + ") but the requested model is "
            + requestedIdentity.fingerprint()
            + " (dimension "
            + requestedIdentity.dimension()
            + ")");
    this.indexIdentity = indexIdentity;
    this.requestedIdentity = requestedIdentity;
  }

  /** The identity recorded in the index. */
  public ModelIdentity indexIdentity() {
    return indexIdentity;
  }

  /** The identity the caller asked for. */
  public ModelIdentity requestedIdentity() {
    return requestedIdentity;
  }
}
