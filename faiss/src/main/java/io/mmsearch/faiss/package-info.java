/**
 * FAISS as an exact-scoring implementation for mmsearch: a hand-written JavaCPP binding ({@link
 * io.mmsearch.faiss.FaissBinding}) compiled during the Maven build against Debian's static {@code
 * libfaiss.a}, loaded by {@link io.mmsearch.faiss.NativeFaiss} (which reports exactly why a load
 * failed), a single-query scorer ({@link io.mmsearch.faiss.FaissExactScorer}) and a flat index
 * ({@link io.mmsearch.faiss.FaissFlatIndex}), contributed to the Lucene plugin through {@link
 * io.mmsearch.faiss.FaissScoringProvider}. A host that wants no native code leaves this module out;
 * the Lucene plugin does not depend on it.
 */
package io.mmsearch.faiss;
