package io.mmsearch.tools.ingest;

import io.mmsearch.manifest.ManifestEntry;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One image to index, as found by the {@link InputScanner}: not yet read.
 *
 * @param id the document id: the manifest's {@code id}, or for a file found in a folder its path
 *     relative to that folder with {@code /} separators
 * @param file the image file (absolute)
 * @param entry the manifest line it came from, or {@code null} for a file found in a folder
 * @param folderClass the class taken from the parent folder's name ({@code --class-from-folder}),
 *     or {@code null}
 */
public record IngestItem(String id, Path file, ManifestEntry entry, String folderClass) {

  public IngestItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
  }

  /** How error reports name this item: {@code manifest:line (id)} or the file path. */
  public String itemName() {
    return entry != null ? entry.location() + " (" + id + ")" : file.toString();
  }
}
