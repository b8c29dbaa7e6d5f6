/**
 * Hybrid fusion over Lucene {@code TopDocs}: {@link io.mmsearch.lucene.fusion.TopDocsFusion} runs
 * the shared fusion arithmetic of module {@code query-semantics} ({@code
 * io.mmsearch.semantics.Fusion}, which the Solr plugin runs too) on doc-id keyed lists. No index
 * access.
 */
package io.mmsearch.lucene.fusion;
