/**
 * Plugin configuration shared by every mmsearch Solr plugin: {@link
 * io.mmsearch.solr.config.PluginArgs} reads {@code solrconfig.xml} init arguments one way.
 */
package io.mmsearch.solr.config;
