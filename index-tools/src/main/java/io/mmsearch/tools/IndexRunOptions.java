package io.mmsearch.tools;

import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.tools.ingest.IndexingPipelineBuilder;
import picocli.CommandLine.Option;

/**
 * How a run that writes an index commits and reports: {@code --commit-every}, {@code
 * --vector-format} (of a new index), {@code --no-progress} and {@code --json}; mixed in by {@code
 * mmsearch index} and {@code mmsearch reindex}, so both write and report alike.
 */
final class IndexRunOptions {

  @Option(
      names = "--commit-every",
      paramLabel = "SECONDS",
      description = "Seconds between commits (default: ${DEFAULT-VALUE}).")
  long commitEvery = 60;

  @Option(
      names = "--vector-format",
      description = "HNSW vector format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  VectorFormat vectorFormat = VectorFieldConfig.DEFAULT.format();

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  /** Sets the commit interval and the vector format on {@code pipeline} and returns it. */
  IndexingPipelineBuilder applyTo(IndexingPipelineBuilder pipeline) {
    return pipeline.commitIntervalSeconds(commitEvery).vectorFormat(vectorFormat);
  }

  /** Whether a progress bar is shown. */
  boolean progress() {
    return !noProgress;
  }

  /** Whether the summary is one JSON object on stdout. */
  boolean json() {
    return json;
  }
}
