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

  /**
   * How error reports name this item: {@code manifest:line (id)} or the file path. An id too long
   * to repeat (the report then says why it was rejected) is cut after {@value #SHOWN_ID_CHARS}
   * characters.
   */
  public String itemName() {
    if (entry == null) {
      return file.toString();
    }
    String shown =
        id.length() <= SHOWN_ID_CHARS
            ? id
            : id.substring(0, SHOWN_ID_CHARS) + "... (" + id.length() + " characters)";
    return entry.location() + " (" + shown + ")";
  }

  private static final int SHOWN_ID_CHARS = 100;
}
