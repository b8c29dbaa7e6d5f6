/**
 * Queries: {@link io.mmsearch.solr.search.MultimodalSearchComponent} encodes text, images and
 * like-this examples once per request on the coordinating node and fuses hybrid lists across
 * shards; {@link io.mmsearch.solr.search.ExactKnnQParserPlugin} ({@code {!mmknn}}) is kNN with
 * exact re-scoring on full-precision vectors; {@link
 * io.mmsearch.solr.search.VectorTransformerFactory} returns a document's vector; {@link
 * io.mmsearch.solr.search.ModelRoutingComponent} keeps a request on collections of the model that
 * encodes it while an alias moves between models.
 */
package io.mmsearch.solr.search;
