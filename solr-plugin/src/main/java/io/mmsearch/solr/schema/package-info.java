/**
 * The vector field type ({@link io.mmsearch.solr.schema.QuantizedVectorField}: int8, int4 or
 * float32 HNSW, full-precision vectors kept) and the codec factory that writes its format.
 */
package io.mmsearch.solr.schema;
