package io.mmsearch.encoders.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes {@code bundle.json} with its format-2 fingerprint and checksums computed over the files
 * already in place: the one writer {@link BundleWriter} and {@link ModelBundle#refingerprint}
 * share.
 */
final class BundleDescriptorFile {
  private BundleDescriptorFile() {}

  /**
   * Computes fingerprint and checksums for {@code content} (a descriptor without them) and the
   * files {@code names} in {@code dir}, and writes {@code bundle.json} atomically.
   *
   * @return the fingerprint written
   */
  static String write(Path dir, ObjectNode content, List<String> names) throws IOException {
    // Hash the tree as a reader will see it: serialized, then parsed back.
    JsonNode reread = BundleJson.MAPPER.readTree(BundleJson.MAPPER.writeValueAsBytes(content));
    String fingerprint = BundleFingerprint.ofBundle(reread, dir, names);
    ObjectNode checksums = JsonNodeFactory.instance.objectNode();
    checksums.set(
        "files", BundleJson.MAPPER.valueToTree(BundleFingerprint.fileDigests(dir, names)));
    checksums.set(
        "settings", BundleJson.MAPPER.valueToTree(BundleFingerprint.settingDigests(reread)));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    // Field order for people reading the file: identity first, diagnostics and provenance last.
    copy(reread, out, "format_version");
    copy(reread, out, "name");
    out.put("fingerprint", fingerprint);
    reread
        .fields()
        .forEachRemaining(
            e -> {
              if (!out.has(e.getKey()) && !BundleFingerprint.NOT_SEMANTIC.contains(e.getKey())) {
                out.set(e.getKey(), e.getValue());
              }
            });
    out.set("checksums", checksums);
    copy(reread, out, "provenance");
    writeAtomically(dir.resolve(ModelBundle.DESCRIPTOR), BundleJson.MAPPER.writeValueAsBytes(out));
    return fingerprint;
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    }
  }

  /** Writes to a temporary sibling, then moves it into place. */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
