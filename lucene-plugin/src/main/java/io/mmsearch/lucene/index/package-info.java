/**
 * Writing an mmsearch index: {@link io.mmsearch.lucene.index.MultimodalIndexWriter} validates and
 * upserts {@link io.mmsearch.lucene.schema.ImageDocument}s, guards the model identity in the commit
 * user data, and owns the near-real-time {@link org.apache.lucene.search.SearcherManager} that
 * searchers share; {@link io.mmsearch.lucene.index.StoredImageFields} reads back the text fields an
 * index stores, for re-embedding it with another model.
 */
package io.mmsearch.lucene.index;
