/**
 * The seam between queries and embedding models: {@link io.mmsearch.lucene.encode.QueryEncoder}
 * turns query text or image bytes into a vector; {@link
 * io.mmsearch.lucene.encode.BundleQueryEncoder} adapts the encoders module's {@code TextEncoder}
 * and {@code ImageEncoder}. The rest of the plugin depends only on the interface, so it is testable
 * with plain vectors.
 */
package io.mmsearch.lucene.encode;
