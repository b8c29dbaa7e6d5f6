/**
 * The index schema of mmsearch: one Lucene document per image ({@link
 * io.mmsearch.lucene.schema.ImageDocument}), the field names and how each is indexed ({@link
 * io.mmsearch.lucene.schema.ImageSchema}), vector validation, the per-field vector format ({@link
 * io.mmsearch.lucene.schema.VectorFormat}, {@link io.mmsearch.lucene.schema.VectorFieldConfig},
 * {@link io.mmsearch.lucene.schema.MultimodalCodec}) and the identity of the embedding model an
 * index was built with ({@link io.mmsearch.encoders.bundle.ModelIdentity}, recorded in the commit
 * user data).
 */
package io.mmsearch.lucene.schema;
