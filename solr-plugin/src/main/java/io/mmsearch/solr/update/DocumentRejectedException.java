package io.mmsearch.solr.update;

import org.apache.solr.common.SolrException;

/**
 * A document that cannot be indexed: the message names the document id, the field and the reason.
 * Status 400: the request, not the server, is at fault.
 */
public final class DocumentRejectedException extends SolrException {
  private static final long serialVersionUID = 1L;

  DocumentRejectedException(String id, String field, String reason) {
    super(ErrorCode.BAD_REQUEST, "document '" + id + "': field '" + field + "': " + reason);
  }
}
