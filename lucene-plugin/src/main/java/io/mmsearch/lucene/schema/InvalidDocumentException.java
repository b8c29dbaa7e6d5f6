package io.mmsearch.lucene.schema;

/**
 * Thrown when a document is rejected before it reaches Lucene. The message names the document id
 * (its start, when the id itself is too long to repeat), the field when one is at fault, and the
 * reason; nothing of a rejected document is indexed.
 */
public class InvalidDocumentException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String documentId;
  private final String field;
  private final String reason;

  public InvalidDocumentException(String documentId, String reason) {
    this(documentId, null, reason);
  }

  /**
   * @param field the field at fault, or null when the document as a whole is
   */
  public InvalidDocumentException(String documentId, String field, String reason) {
    super(
        "document "
            + DocumentValidator.shown(String.valueOf(documentId))
            + " rejected: "
            + (field == null || reason.startsWith(field) ? "" : "field " + field + ": ")
            + reason);
    this.documentId = documentId;
    this.field = field;
    this.reason = reason;
  }

  /** The id of the rejected document (may be empty if the id itself was the problem). */
  public String documentId() {
    return documentId;
  }

  /** The field at fault, or null when the document as a whole is (for example no image vector). */
  public String field() {
    return field;
  }

  /** Why, without the document id; names the field when one is at fault. */
  public String reason() {
    return field == null || reason.startsWith(field) ? reason : field + ": " + reason;
  }
}
