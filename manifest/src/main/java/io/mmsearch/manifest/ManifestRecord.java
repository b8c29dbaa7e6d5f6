package io.mmsearch.manifest;

import static io.mmsearch.manifest.FieldValues.blankToNull;
import static io.mmsearch.manifest.FieldValues.describe;
import static io.mmsearch.manifest.FieldValues.scalarText;
import static io.mmsearch.manifest.FieldValues.shown;
import static io.mmsearch.manifest.FieldValues.textList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One manifest record (a JSONL object, or a CSV row read as one) checked field by field and turned
 * into a {@link ManifestEntry}. Whether its id was seen before is the caller's question: a record
 * refused here must not claim its id. Stateless.
 */
final class ManifestRecord {

  /** The columns with a meaning of their own; every other non-null column becomes metadata. */
  private static final Set<String> KNOWN_COLUMNS =
      Set.of("id", "image", "caption", "keywords", "class", "subclass");

  private ManifestRecord() {}

  /** A record refused for a reason that names its id where it has one. */
  static final class RefusedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    RefusedRecordException(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * The entry a record describes.
   *
   * @param manifest the manifest file, recorded in the entry
   * @param line the record's first line
   * @param lastLine the record's last line
   * @throws RefusedRecordException with the reason when a field is missing or of the wrong kind, or
   *     the image reference is not acceptable
   */
  static ManifestEntry toEntry(
      ObjectNode object, ImageReferences images, Path manifest, long line, long lastLine)
      throws RefusedRecordException {
    String id = scalarText(object.get("id"));
    if (object.hasNonNull("id") && id == null) {
      throw new RefusedRecordException(
          "id must be a string or a number, got " + describe(object.get("id")));
    }
    if (id == null || id.isBlank()) {
      throw new RefusedRecordException("missing id");
    }
    id = id.strip();
    String named = "id " + shown(id) + ": ";
    JsonNode imageNode = object.get("image");
    if (imageNode == null
        || imageNode.isNull()
        || (imageNode.isTextual() && imageNode.asText().isBlank())) {
      throw new RefusedRecordException(named + "missing image");
    }
    if (!imageNode.isTextual()) {
      throw new RefusedRecordException(
          named + "image must be a string, got " + describe(imageNode));
    }
    Path image;
    List<String> captions;
    List<String> keywords;
    try {
      image = images.resolve(imageNode.asText().strip());
      captions = textList(object.get("caption"), false, "caption");
      keywords = textList(object.get("keywords"), true, "keywords");
    } catch (IllegalArgumentException e) {
      throw new RefusedRecordException(named + e.getMessage());
    }
    return new ManifestEntry(
        id,
        image,
        captions,
        keywords,
        blankToNull(scalarText(object.get("class"))),
        blankToNull(scalarText(object.get("subclass"))),
        metadata(object),
        manifest,
        line,
        lastLine);
  }

  private static Map<String, String> metadata(ObjectNode object) {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      if (KNOWN_COLUMNS.contains(field.getKey()) || value.isNull()) {
        continue;
      }
      metadata.put(field.getKey(), value.isTextual() ? value.asText() : value.toString());
    }
    return metadata;
  }
}
