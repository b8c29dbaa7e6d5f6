package io.mmsearch.tools.ingest;

import io.mmsearch.manifest.ImageFields;
import io.mmsearch.manifest.ManifestEntry;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One image to index, as an {@link ItemSource} found it: not yet read.
 *
 * @param file the image file (absolute)
 * @param fields the text fields it is indexed with (the shared mapping, {@link ImageFields}); its
 *     uri is replaced by the file actually read
 * @param itemName how error reports name the item
 * @param manifestFolder the folder of the manifest it came from, or {@code null}: a file under
 *     {@code --confine} must stay inside it
 */
public record IngestItem(Path file, ImageFields fields, String itemName, Path manifestFolder) {

  private static final int SHOWN_ID_CHARS = 100;

  public IngestItem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(fields, "fields");
    Objects.requireNonNull(itemName, "itemName");
  }

  /** A manifest line, named {@code manifest:line (id)}. */
  public static IngestItem fromManifest(ManifestEntry entry) {
    return new IngestItem(
        entry.image(),
        ImageFields.of(entry),
        entry.location() + " (" + shown(entry.id()) + ")",
        entry.manifest().toAbsolutePath().getParent());
  }

  /**
   * A file found in a folder (or given alone), named by its path.
   *
   * @param id its path relative to the folder with {@code /} separators, or its file name
   * @param folderClass the class taken from the parent folder's name ({@code --class-from-folder}),
   *     or {@code null}
   */
  public static IngestItem fromFile(String id, Path file, String folderClass) {
    ImageFields fields = ImageFields.of(id, file);
    if (folderClass != null) {
      fields = fields.withClassName(folderClass);
    }
    return new IngestItem(file, fields, file.toString(), null);
  }

  /**
   * A document of an existing index, to be indexed again from what that index stores, named {@code
   * index (id)}.
   */
  public static IngestItem fromIndex(Path index, ImageFields stored, Path file) {
    return new IngestItem(file, stored, nameInIndex(index, stored.id()), null);
  }

  /** How reports name the document {@code id} of the index in {@code index}. */
  static String nameInIndex(Path index, String id) {
    return index + " (" + shown(id) + ")";
  }

  /** The document id. */
  public String id() {
    return fields.id();
  }

  /**
   * An id too long to repeat in every report line (the report then says why it was rejected) is cut
   * after {@value #SHOWN_ID_CHARS} characters.
   */
  private static String shown(String id) {
    return id.length() <= SHOWN_ID_CHARS
        ? id
        : id.substring(0, SHOWN_ID_CHARS) + "... (" + id.length() + " characters)";
  }
}
