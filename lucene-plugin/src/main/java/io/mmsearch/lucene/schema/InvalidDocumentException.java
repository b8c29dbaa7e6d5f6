package io.mmsearch.lucene.schema;

/**
 * Thrown when a document is rejected before it reaches Lucene. The message names the document id
 * and the reason; nothing of a rejected document is indexed.
 */
public class InvalidDocumentException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String documentId;

  public InvalidDocumentException(String documentId, String reason) {
    super("document '" + documentId + "' rejected: " + reason);
    this.documentId = documentId;
  }

  /** The id of the rejected document (may be empty if the id itself was the problem). */
  public String documentId() {
    return documentId;
  }
}
