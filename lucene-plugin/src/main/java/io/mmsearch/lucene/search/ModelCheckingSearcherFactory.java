package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.schema.ModelMismatchException;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;

/**
 * A {@link SearcherFactory} that refuses a reader whose commit records another embedding model, so
 * that a {@link SearcherManager} built with it never makes such an index live: on a refresh the
 * exception propagates out of {@code maybeRefresh}, the new reader is closed and the old searcher
 * stays current. Searchers it creates use the given executor (or none) for concurrent search across
 * segments.
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelCheckingSearcherFactory extends SearcherFactory {
  private final ModelIdentity expected;
  private final Executor executor;

  /**
   * @param expected the model the index must have been built with
   * @param executor passed to every {@link IndexSearcher} created; {@code null} searches each
   *     request on the calling thread
   */
  public ModelCheckingSearcherFactory(ModelIdentity expected, Executor executor) {
    this.expected = Objects.requireNonNull(expected, "expected");
    this.executor = executor;
  }

  /**
   * @throws ModelMismatchException if the reader's commit records another model
   * @throws IllegalStateException if it records none (or the reader has no commit to read)
   */
  @Override
  public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader)
      throws IOException {
    check(reader, expected);
    return new IndexSearcher(reader, executor);
  }

  /**
   * Checks the model identity recorded in the commit of {@code reader}, a {@link DirectoryReader}
   * (possibly wrapped in {@link FilterDirectoryReader}s).
   *
   * @throws ModelMismatchException if it records another model
   * @throws IllegalStateException if it records none, or the reader is not a directory reader
   */
  public static void check(IndexReader reader, ModelIdentity expected) throws IOException {
    if (!(reader instanceof DirectoryReader directoryReader)) {
      throw new IllegalStateException(
          "cannot check the model of "
              + reader
              + ": only a DirectoryReader carries the commit that records it");
    }
    DirectoryReader unwrapped = FilterDirectoryReader.unwrap(directoryReader);
    ModelIdentity recorded =
        ModelIdentity.fromEntries(unwrapped.getIndexCommit().getUserData(), "commit user data")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "index "
                            + unwrapped.directory()
                            + " has no model identity in its commit data; expected "
                            + expected));
    if (!recorded.equals(expected)) {
      throw new ModelMismatchException(
          "cannot search index " + unwrapped.directory(), recorded, expected);
    }
  }
}
