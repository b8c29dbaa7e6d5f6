package io.mmsearch.tools.ingest;

import io.mmsearch.manifest.ManifestProblem;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Where the items of an indexing run come from: the folders and manifests of {@code mmsearch index}
 * ({@link InputScanner#source}), or the stored documents of an index being re-embedded with another
 * model ({@link StoredIndexSource}). Every item and every problem goes through one {@link
 * IndexingPipeline}, so both are read, checked, encoded, written and reported the same way.
 */
@FunctionalInterface
public interface ItemSource {

  /**
   * Hands over every item, then returns.
   *
   * @param items receives each item; may block (a bounded queue) to apply back-pressure, and may
   *     throw to stop the scan early (the pipeline stopping)
   * @param problems receives each item that cannot be offered (named, with a stage and reason)
   * @return whether every item was reached: false if a part of the source could not be read, so
   *     that documents absent from this scan may merely be out of reach (then nothing is deleted
   *     under {@code --delete-missing})
   * @throws IOException if the source as a whole cannot be read
   */
  boolean scan(Consumer<IngestItem> items, Consumer<ManifestProblem> problems) throws IOException;
}
