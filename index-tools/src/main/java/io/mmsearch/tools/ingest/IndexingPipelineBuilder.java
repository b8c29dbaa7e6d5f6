package io.mmsearch.tools.ingest;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/** Options of an {@link IndexingPipeline}; {@link #build()} makes one. Not thread-safe. */
public final class IndexingPipelineBuilder {

  /** Opens the index folder as a Lucene directory. */
  @FunctionalInterface
  public interface DirectoryOpener {
    Directory open(Path folder) throws IOException;
  }

  final List<Path> inputs = new ArrayList<>();
  Path indexDir;
  DualEncoder encoders;
  ErrorReport errors;
  int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
  int batchSize = 32;
  long commitIntervalSeconds = 60;
  boolean deleteMissing;
  boolean classFromFolder;
  boolean confine;
  boolean captionVectors = true;
  long maxFileBytes = ImageFileReader.DEFAULT_MAX_BYTES;
  VectorFormat vectorFormat = VectorFieldConfig.DEFAULT.format();
  DirectoryOpener directoryOpener = FSDirectory::open;
  Consumer<IndexWriterConfig> writerTuning = iwc -> {};

  IndexingPipelineBuilder() {}

  /** Folders, manifests or image files, processed in order. */
  public IndexingPipelineBuilder inputs(List<Path> inputs) {
    this.inputs.addAll(inputs);
    return this;
  }

  /** The index folder; created if missing. */
  public IndexingPipelineBuilder index(Path indexDir) {
    this.indexDir = indexDir;
    return this;
  }

  /** The encoders of the model bundle; owned by the caller, who closes them after the run. */
  public IndexingPipelineBuilder encoders(DualEncoder encoders) {
    this.encoders = encoders;
    return this;
  }

  /** Where rejected items go; owned by the caller. */
  public IndexingPipelineBuilder errors(ErrorReport errors) {
    this.errors = errors;
    return this;
  }

  /** Worker threads that read, check and encode; default: the number of cores. */
  public IndexingPipelineBuilder threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    return this;
  }

  /** Images per model call; default 32. */
  public IndexingPipelineBuilder batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /** Seconds between commits; default 60. The end of the run always commits. */
  public IndexingPipelineBuilder commitIntervalSeconds(long seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("commit interval must be >= 0, got " + seconds);
    }
    this.commitIntervalSeconds = seconds;
    return this;
  }

  /** Delete documents whose items are no longer in the inputs; default false. */
  public IndexingPipelineBuilder deleteMissing(boolean deleteMissing) {
    this.deleteMissing = deleteMissing;
    return this;
  }

  /** Use the parent folder's name as class for files found in folders; default false. */
  public IndexingPipelineBuilder classFromFolder(boolean classFromFolder) {
    this.classFromFolder = classFromFolder;
    return this;
  }

  /** Reject manifest image paths outside the manifest's folder even when absolute. */
  public IndexingPipelineBuilder confine(boolean confine) {
    this.confine = confine;
    return this;
  }

  /** Also store a text-encoder vector of each caption ({@code caption_vec}); default true. */
  public IndexingPipelineBuilder captionVectors(boolean captionVectors) {
    this.captionVectors = captionVectors;
    return this;
  }

  /**
   * Files larger than this are rejected unread, and no more than this is read of a file that grows;
   * default {@link ImageFileReader#DEFAULT_MAX_BYTES} (256 MiB).
   */
  public IndexingPipelineBuilder maxFileBytes(long maxFileBytes) {
    this.maxFileBytes = maxFileBytes;
    return this;
  }

  /** HNSW vector format of a new index; default {@link VectorFieldConfig#DEFAULT}. */
  public IndexingPipelineBuilder vectorFormat(VectorFormat format) {
    this.vectorFormat = Objects.requireNonNull(format);
    return this;
  }

  /**
   * How the index folder becomes a Lucene {@link Directory}; default {@link FSDirectory#open}. The
   * pipeline closes the directory. For tests that inject faults into the file system.
   */
  public IndexingPipelineBuilder directoryOpener(DirectoryOpener opener) {
    this.directoryOpener = Objects.requireNonNull(opener);
    return this;
  }

  /**
   * Adjusts the {@link IndexWriterConfig} after the pipeline's own settings (merge policy, RAM
   * buffer, info stream); must not change the analyzer or the codec. For tests and benchmarks.
   */
  public IndexingPipelineBuilder writerTuning(Consumer<IndexWriterConfig> tuning) {
    this.writerTuning = Objects.requireNonNull(tuning);
    return this;
  }

  public IndexingPipeline build() {
    return new IndexingPipeline(this);
  }
}
