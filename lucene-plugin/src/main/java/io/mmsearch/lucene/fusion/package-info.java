/**
 * Score fusion for hybrid search that Lucene does not ship: {@link
 * io.mmsearch.lucene.fusion.LinearFusion}, weighted min-max normalised scores over {@code TopDocs}.
 * Reciprocal rank fusion is Lucene's own {@code TopDocs.rrf}. No index access, so every value can
 * be checked by hand.
 */
package io.mmsearch.lucene.fusion;
