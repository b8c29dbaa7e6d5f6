package io.mmsearch.lucene.index;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.recall.IndexCalibration;
import io.mmsearch.lucene.recall.LuceneCalibrationIndex;
import io.mmsearch.lucene.schema.DocumentValidator;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.InvalidDocumentException;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.semantics.recall.RecallCalibration;
import io.mmsearch.semantics.recall.RecallCalibrator;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.IOUtils;

/**
 * Writes {@link ImageDocument}s into a Lucene index with the mmsearch schema.
 *
 * <p>Every document is validated against the index's limits ({@link DocumentValidator}: term and
 * facet path lengths, stored value size, vector dimension, finiteness and unit length) before
 * anything reaches Lucene, so a rejected document leaves nothing behind. Documents are keyed by
 * {@code id}: {@link #upsert} replaces an existing document atomically ({@link
 * IndexWriter#updateDocument}).
 *
 * <p>The model identity is written into every commit's user data; opening an index built with
 * another model fails with a {@link ModelMismatchException}. {@link #calibrate} adds the index's
 * own recall measurement of the committed segment layout.
 *
 * <p>Near-real-time: {@link #refresh()} makes all changes so far visible to searchers built on
 * {@link #searcherManager()}, without a commit. Thread-safe: any number of threads may upsert,
 * delete, refresh and commit concurrently. The caller owns the writer and closes it; closing
 * commits pending changes. The directory stays owned by the caller.
 */
public final class MultimodalIndexWriter implements Closeable {
  private final IndexWriter writer;
  private final SearcherManager searcherManager;
  private final MultimodalIndexConfig config;
  private final DocumentValidator validator;

  private MultimodalIndexWriter(IndexWriter writer, MultimodalIndexConfig config)
      throws IOException {
    this.writer = writer;
    this.config = config;
    this.validator = config.documentValidator();
    this.searcherManager = new SearcherManager(writer, null);
  }

  /**
   * Opens (or creates) the index in {@code directory}.
   *
   * @throws ModelMismatchException if the index was built with another model
   * @throws IllegalStateException if the index has documents but no model identity
   */
  public static MultimodalIndexWriter open(Directory directory, MultimodalIndexConfig config)
      throws IOException {
    Objects.requireNonNull(directory, "directory");
    ModelIdentity requested = config.modelIdentity();
    boolean recorded = false;
    if (DirectoryReader.indexExists(directory)) {
      SegmentInfos latest = SegmentInfos.readLatestCommit(directory);
      Optional<ModelIdentity> existing =
          ModelIdentity.fromEntries(latest.getUserData(), "commit user data");
      if (existing.isPresent()) {
        if (!existing.get().equals(requested)) {
          throw new ModelMismatchException(
              "cannot open index " + directory + " for writing", existing.get(), requested);
        }
        recorded = true;
      } else if (latest.totalMaxDoc() > 0) {
        throw new IllegalStateException(
            "index "
                + directory
                + " has documents but no model identity in its commit data; refusing to add "
                + "vectors of model "
                + requested);
      }
    }
    Map<String, String> carried = new LinkedHashMap<>();
    if (recorded) {
      // Recall calibrations describe the commit's layout; they stay until a newer one replaces
      // them, so that a reader whose layout moved on still has the nearest one to fall back on.
      SegmentInfos latest = SegmentInfos.readLatestCommit(directory);
      latest.getUserData().entrySet().stream()
          .filter(e -> e.getKey().startsWith(RecallCalibration.userDataKey("")))
          .forEach(e -> carried.put(e.getKey(), e.getValue()));
    }
    IndexWriter writer = new IndexWriter(directory, config.newIndexWriterConfig());
    try {
      Map<String, String> commitData = new LinkedHashMap<>(requested.toEntries());
      commitData.putAll(carried);
      writer.setLiveCommitData(commitData.entrySet());
      if (!recorded) {
        // Make the identity durable at once, so that a reader never sees an unguarded index.
        writer.commit();
      }
      return new MultimodalIndexWriter(writer, config);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(writer);
      throw e;
    }
  }

  /** The model identity recorded in this index. */
  public ModelIdentity modelIdentity() {
    return config.modelIdentity();
  }

  public MultimodalIndexConfig config() {
    return config;
  }

  /**
   * Adds the document, or replaces the document with the same id.
   *
   * @throws InvalidDocumentException if a field is over a limit or a vector is invalid; nothing is
   *     written then
   */
  public void upsert(ImageDocument document) throws IOException {
    validator.validate(document);
    writer.updateDocument(
        new Term(ImageSchema.ID, document.id()), ImageSchema.toLuceneDocument(document));
  }

  /**
   * Upserts a batch. A rejected document is reported and skipped; it never stops the batch.
   *
   * @throws IOException if Lucene fails (then the batch stops: the index itself is in trouble)
   */
  public IndexingReport upsertAll(Iterable<ImageDocument> documents) throws IOException {
    int indexed = 0;
    int position = 0;
    List<IndexingReport.Rejection> rejected = new ArrayList<>();
    for (ImageDocument document : documents) {
      try {
        upsert(document);
        indexed++;
      } catch (InvalidDocumentException e) {
        rejected.add(new IndexingReport.Rejection(position, e.documentId(), e.getMessage()));
      }
      position++;
    }
    return new IndexingReport(indexed, rejected);
  }

  /** Deletes the document with this id, if present. */
  public void delete(String id) throws IOException {
    writer.deleteDocuments(new Term(ImageSchema.ID, id));
  }

  /** Durably commits all changes, with the model identity in the commit user data. */
  public void commit() throws IOException {
    writer.commit();
  }

  /**
   * Measures the recall of the last commit's segment layout ({@link RecallCalibrator}, as {@link
   * MultimodalIndexConfig#recallCalibration()} says) and records it in the commit user data of a
   * new commit, beside the model identity. A field whose last commit already holds a calibration of
   * its layout is not measured again. Call it after the last {@link #commit()} of a batch of
   * changes: searchers read the calibration that describes their reader's layout, and measure one
   * themselves when none does. Holds no lock the other methods need, but the recorded layout is the
   * one committed when the measurement started: changes committed meanwhile make it stale
   * (searchers then measure their own).
   *
   * @param executor spreads the measurement over its threads (not shut down here); null measures on
   *     the calling thread
   * @return the calibrations measured now (empty if all were current, or the index has no vectors)
   */
  public List<RecallCalibration> calibrate(Executor executor) throws IOException {
    IndexCalibration how = config.recallCalibration();
    List<RecallCalibration> measured = new ArrayList<>();
    Map<String, String> commitData = new LinkedHashMap<>();
    writer.getLiveCommitData().forEach(e -> commitData.put(e.getKey(), e.getValue()));
    try (DirectoryReader committed = DirectoryReader.open(writer.getDirectory())) {
      Map<String, String> userData = committed.getIndexCommit().getUserData();
      for (String field : how.fields()) {
        String layout = LuceneCalibrationIndex.layoutOf(committed, field);
        Optional<RecallCalibration> current =
            RecallCalibration.fromUserData(userData, field).filter(c -> c.layout().equals(layout));
        if (current.isPresent()) {
          continue;
        }
        Optional<RecallCalibration> calibration =
            new RecallCalibrator(how.settings(), executor)
                .calibrate(new LuceneCalibrationIndex(committed, field), field, how.textQueries());
        calibration.ifPresent(
            c -> {
              measured.add(c);
              commitData.put(c.toUserData().getKey(), c.toUserData().getValue());
            });
      }
    }
    if (!measured.isEmpty()) {
      writer.setLiveCommitData(commitData.entrySet());
      writer.commit();
    }
    return measured;
  }

  /**
   * Makes all changes so far visible to searches through {@link #searcherManager()}; blocks until
   * the new reader is open. Cheaper than {@link #commit()}: nothing is fsynced.
   */
  public void refresh() throws IOException {
    searcherManager.maybeRefreshBlocking();
  }

  /** Merges the index down to at most {@code maxSegments} segments (expensive; for benchmarks). */
  public void forceMerge(int maxSegments) throws IOException {
    writer.forceMerge(maxSegments);
  }

  /**
   * The near-real-time searcher manager over this writer. Shared: acquire/release searchers from
   * it, but never close it; {@link #close()} does.
   */
  public SearcherManager searcherManager() {
    return searcherManager;
  }

  /** The underlying writer, for advanced use; do not close it directly. */
  public IndexWriter indexWriter() {
    return writer;
  }

  /** Closes the searcher manager and the writer, committing pending changes. */
  @Override
  public void close() throws IOException {
    IOUtils.close(searcherManager, writer);
  }
}
