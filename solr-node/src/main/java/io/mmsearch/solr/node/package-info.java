/**
 * {@link io.mmsearch.solr.node.SolrNode}: one SolrCloud node from Solr's jars, in a JVM of its own
 * (Solr 9.10 runs on Lucene 9.12, the command line on Lucene 10: they never share a class path).
 */
package io.mmsearch.solr.node;
