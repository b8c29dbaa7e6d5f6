/**
 * Ingest: {@link io.mmsearch.solr.update.ImageEncodingUpdateProcessorFactory} turns each document's
 * image (bytes, or a path under a configured root) into its vector before distribution, with
 * per-document or per-batch rejection of bad input.
 */
package io.mmsearch.solr.update;
