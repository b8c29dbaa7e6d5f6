package io.mmsearch.tools;

import io.mmsearch.tools.ingest.IndexingPipelineBuilder;
import picocli.CommandLine.Option;

/**
 * The {@code --threads}, {@code --batch-size} and {@code --no-caption-vectors} options of the
 * indexing pipeline, mixed in with picocli's {@code @Mixin} by {@code mmsearch index} and {@code
 * mmsearch bench index}, so that the benchmark measures the pipeline with the defaults the verb
 * uses.
 */
public final class PipelineOptions {

  @Option(
      names = "--threads",
      description =
          "Worker threads reading, decoding and encoding (default: the number of cores,"
              + " ${DEFAULT-VALUE}).")
  int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

  @Option(
      names = "--batch-size",
      description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batchSize = 32;

  @Option(names = "--no-caption-vectors", description = "Do not store caption text vectors.")
  boolean noCaptionVectors;

  /** Worker threads as given. */
  public int threads() {
    return threads;
  }

  /** Images per model call as given. */
  public int batchSize() {
    return batchSize;
  }

  /** Whether caption text vectors are stored (the default). */
  public boolean captionVectors() {
    return !noCaptionVectors;
  }

  /**
   * Sets all three on {@code pipeline} and returns it.
   *
   * @throws IllegalArgumentException if either is below 1
   */
  public IndexingPipelineBuilder applyTo(IndexingPipelineBuilder pipeline) {
    return pipeline.threads(threads).batchSize(batchSize).captionVectors(!noCaptionVectors);
  }
}
