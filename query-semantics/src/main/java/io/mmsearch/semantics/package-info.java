/**
 * The one definition of mmsearch's query semantics, written without Lucene so that the embedded
 * index (Lucene 10, {@code lucene-plugin}) and the Solr plugin (Lucene 9.12, {@code solr-plugin})
 * run the same code and answer a request the same way:
 *
 * <ul>
 *   <li>{@link io.mmsearch.semantics.VectorMix}: how the vector sources of a request (text, image,
 *       raw vectors, documents to find more like) become one unit query vector;
 *   <li>{@link io.mmsearch.semantics.SearchDepth}: how deep each ranked list is read (the window)
 *       and how many nearest neighbours are fetched (the one function that decides the candidate
 *       count);
 *   <li>{@link io.mmsearch.semantics.Fusion} and {@link io.mmsearch.semantics.Ranked}: how a
 *       keyword list and a vector list fuse (reciprocal rank or min-max linear, in double, scores
 *       returned as float) and how ties are ordered;
 *   <li>{@link io.mmsearch.semantics.InvalidQueryException}: the failure of a request that asks for
 *       something impossible, with a message naming the setting.
 * </ul>
 *
 * Compiled for Java 17 (it runs inside Solr 9). Every type is immutable or a single-use builder;
 * nothing here reads an index.
 */
package io.mmsearch.semantics;
