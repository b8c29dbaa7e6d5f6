/**
 * A SolrCloud on this machine for {@code mmsearch cloud} and {@code mmsearch bench cloud}: Solr
 * nodes in JVMs of their own ({@link io.mmsearch.tools.cloud.LocalSolrCloud}), driven over Solr's
 * HTTP API ({@link io.mmsearch.tools.cloud.SolrApi}) so that Solr's Lucene 9 never meets this JVM's
 * Lucene 10.
 */
package io.mmsearch.tools.cloud;
