package io.mmsearch.tools.ingest;

import io.mmsearch.lucene.index.StoredImageFields;
import io.mmsearch.manifest.ManifestProblem;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.lucene.index.IndexReader;

/**
 * The documents of an existing index as items to index again, from what it stores ({@link
 * StoredImageFields}: id, uri, caption, keywords, class, subclass): the source of {@code mmsearch
 * reindex}, which re-embeds an index with another model without the manifests it was built from.
 * Each document's image is read again from its stored {@code uri}, and its text fields are indexed
 * as they were, so the new document is the old one with new vectors (and its image's current
 * bytes).
 *
 * <p>A document whose stored uri is missing or not a local {@code file:} URI cannot be re-embedded:
 * it is reported ({@code read} stage) naming the document; one whose image file is gone is reported
 * by the pipeline when it reads the file. Neither is in the new index; the caller lists them.
 *
 * <p>Reads the point-in-time view of {@code reader}, which the caller owns and keeps open for the
 * run. No model is needed to read it.
 */
public final class StoredIndexSource implements ItemSource {
  private final IndexReader reader;
  private final Path index;

  /**
   * @param reader the old index's reader (not closed here)
   * @param index the old index's folder, for naming items in reports
   */
  public StoredIndexSource(IndexReader reader, Path index) {
    this.reader = Objects.requireNonNull(reader);
    this.index = index.toAbsolutePath().normalize();
  }

  @Override
  public boolean scan(Consumer<IngestItem> items, Consumer<ManifestProblem> problems)
      throws java.io.IOException {
    StoredImageFields.forEachLive(
        reader,
        stored -> {
          String name = IngestItem.nameInIndex(index, stored.id());
          Path file = localFile(stored.uri());
          if (file == null) {
            problems.accept(
                new ManifestProblem(
                    name,
                    IndexingPipeline.STAGE_READ,
                    stored.uri() == null
                        ? "the index stores no image location (uri) for this document, so its"
                            + " image cannot be read again"
                        : "the stored image location "
                            + stored.uri()
                            + " is not a local file (file: URI), so the image cannot be read"
                            + " again"));
          } else {
            items.accept(IngestItem.fromIndex(index, stored, file));
          }
        });
    return true;
  }

  /** The file of a {@code file:} URI, or null. */
  private static Path localFile(String uri) {
    if (uri == null) {
      return null;
    }
    try {
      URI parsed = URI.create(uri);
      return "file".equalsIgnoreCase(parsed.getScheme()) ? Path.of(parsed) : null;
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      return null;
    }
  }
}
