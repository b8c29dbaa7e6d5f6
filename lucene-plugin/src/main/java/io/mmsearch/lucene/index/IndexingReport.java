package io.mmsearch.lucene.index;

import java.util.List;

/**
 * Outcome of a batch upsert: how many documents were indexed and which were rejected, with why.
 *
 * @param indexed number of documents written
 * @param rejected one entry per rejected document, in input order
 */
public record IndexingReport(int indexed, List<Rejection> rejected) {

  public IndexingReport {
    rejected = List.copyOf(rejected);
  }

  /**
   * A document that was not indexed.
   *
   * @param position its 0-based position in the batch
   * @param documentId its id ({@code "?"} if unknown)
   * @param reason why it was rejected
   */
  public record Rejection(int position, String documentId, String reason) {}
}
