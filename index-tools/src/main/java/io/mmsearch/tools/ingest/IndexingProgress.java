package io.mmsearch.tools.ingest;

/**
 * A snapshot of a running {@link IndexingPipeline}, for progress bars.
 *
 * @param found items found so far (grows while the inputs are scanned)
 * @param scanDone whether scanning has finished, so {@code found} is final
 * @param done items finished so far: written, skipped as unchanged, or rejected
 * @param rejected items rejected so far
 */
public record IndexingProgress(long found, boolean scanDone, long done, long rejected) {}
