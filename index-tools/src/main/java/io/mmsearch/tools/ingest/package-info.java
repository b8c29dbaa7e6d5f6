/**
 * Offline ingestion behind {@code mmsearch index}: finding the images named by folders and
 * manifests ({@link io.mmsearch.tools.ingest.InputScanner}), detecting their real media type and
 * reading their embedded metadata with Apache Tika ({@link io.mmsearch.tools.ingest.ImageProbe}),
 * and the multi-threaded pipeline that decodes, encodes and writes them into an mmsearch index
 * ({@link io.mmsearch.tools.ingest.IndexingPipeline}) while every rejected item goes to an {@link
 * io.mmsearch.tools.ingest.ErrorReport}.
 */
package io.mmsearch.tools.ingest;
