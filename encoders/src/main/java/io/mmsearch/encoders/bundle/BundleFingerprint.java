package io.mmsearch.encoders.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The content fingerprint of a model bundle, lower-case hex SHA-256. Indexes record it: two bundles
 * with the same fingerprint produce the same vectors. Stateless and thread-safe.
 *
 * <p><b>Format 2</b> ({@link #ofBundle}): SHA-256 over the ASCII line {@code mmsearch bundle v2\n},
 * the {@linkplain #semanticContent semantic content} of {@code bundle.json} in canonical form and a
 * newline, then for each file ({@code image.onnx}, {@code text.onnx}, the tokenizer file, in that
 * order) the file's name in UTF-8, a zero byte, its length as an 8-byte big-endian integer and its
 * bytes. The semantic content is everything in {@code bundle.json} except {@code fingerprint},
 * {@code checksums} and {@code provenance}, so a changed preprocessing setting changes the
 * fingerprint. A referenced backbone is covered through the SHA-256 it declares there; loading
 * refuses backbone bytes with another hash.
 *
 * <p><b>Format 1</b> ({@link #ofFiles}, {@link #ofBytes}): the same file records without the prefix
 * and without {@code bundle.json}. Version-1 bundles keep this definition, so indexes that recorded
 * their fingerprint stay valid; {@code mmsearch bundle refingerprint} upgrades them.
 */
public final class BundleFingerprint {
  /** Top-level {@code bundle.json} fields the fingerprint leaves out. */
  public static final Set<String> NOT_SEMANTIC = Set.of("fingerprint", "checksums", "provenance");

  private static final byte[] V2_PREFIX =
      "mmsearch bundle v2\n".getBytes(StandardCharsets.US_ASCII);

  private BundleFingerprint() {}

  /** Format-1 fingerprint of files on disk, read in streaming fashion; {@code names} in order. */
  public static String ofFiles(Path directory, List<String> names) throws IOException {
    MessageDigest sha = sha256();
    hashFiles(sha, directory, names);
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Format-1 fingerprint of file contents held in memory; {@code names} and {@code contents} align.
   */
  public static String ofBytes(List<String> names, List<byte[]> contents) {
    if (names.size() != contents.size()) {
      throw new IllegalArgumentException(names.size() + " names for " + contents.size() + " files");
    }
    MessageDigest sha = sha256();
    for (int i = 0; i < names.size(); i++) {
      header(sha, names.get(i), contents.get(i).length);
      sha.update(contents.get(i));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Format-2 fingerprint of a bundle on disk.
   *
   * @param descriptor {@code bundle.json} as a tree (its non-semantic fields are ignored)
   * @param names the bundle's files in hashing order
   */
  public static String ofBundle(JsonNode descriptor, Path directory, List<String> names)
      throws IOException {
    MessageDigest sha = sha256();
    sha.update(V2_PREFIX);
    sha.update(canonicalBytes(semanticContent(descriptor)));
    sha.update((byte) '\n');
    hashFiles(sha, directory, names);
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * The part of {@code bundle.json} the fingerprint covers: a copy of {@code descriptor} without
   * {@link #NOT_SEMANTIC} fields, object keys sorted at every level.
   */
  public static JsonNode semanticContent(JsonNode descriptor) {
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = descriptor.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!NOT_SEMANTIC.contains(e.getKey())) {
        copy.set(e.getKey(), e.getValue());
      }
    }
    return sorted(copy);
  }

  /**
   * A short digest (12 hex digits) of every leaf setting of the semantic content, keyed by dotted
   * path ({@code image.mean}, {@code text.backbone.sha256}); arrays are leaves. Stored in {@code
   * checksums.settings} so that a mismatch can name the settings that changed.
   */
  public static Map<String, String> settingDigests(JsonNode descriptor) {
    Map<String, String> out = new TreeMap<>();
    collectLeaves(semanticContent(descriptor), "", out);
    return out;
  }

  /** SHA-256 of each file, by name, in the given order. */
  public static Map<String, String> fileDigests(Path directory, List<String> names)
      throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : names) {
      MessageDigest sha = sha256();
      hashStream(sha, directory.resolve(name));
      out.put(name, HexFormat.of().formatHex(sha.digest()));
    }
    return out;
  }

  /**
   * What differs between the digests recorded at export and those of the bundle as it is now: the
   * files whose bytes changed and the settings changed, added or removed, each by name.
   */
  static List<String> differences(
      BundleDescriptor.Checksums recorded,
      Map<String, String> files,
      Map<String, String> settings) {
    List<String> changes = new ArrayList<>();
    if (recorded == null) {
      return changes;
    }
    if (recorded.files() != null) {
      for (Map.Entry<String, String> e : files.entrySet()) {
        String before = recorded.files().get(e.getKey());
        if (before != null && !before.equalsIgnoreCase(e.getValue())) {
          changes.add("file " + e.getKey() + " changed");
        }
      }
    }
    if (recorded.settings() != null) {
      for (Map.Entry<String, String> e : settings.entrySet()) {
        String before = recorded.settings().get(e.getKey());
        if (before == null) {
          changes.add("setting " + e.getKey() + " was added");
        } else if (!before.equals(e.getValue())) {
          changes.add("setting " + e.getKey() + " changed");
        }
      }
      for (String key : recorded.settings().keySet()) {
        if (!settings.containsKey(key)) {
          changes.add("setting " + key + " was removed");
        }
      }
    }
    return changes;
  }

  private static void collectLeaves(JsonNode node, String path, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        collectLeaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
      }
    } else {
      byte[] digest = sha256().digest(canonicalBytes(node));
      out.put(path, HexFormat.of().formatHex(digest, 0, 6));
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      node.fields().forEachRemaining(e -> fields.put(e.getKey(), sorted(e.getValue())));
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> out.add(sorted(child)));
      return out;
    }
    return node;
  }

  private static byte[] canonicalBytes(JsonNode node) {
    try {
      return BundleJson.CANONICAL.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void hashFiles(MessageDigest sha, Path directory, List<String> names)
      throws IOException {
    for (String name : names) {
      Path file = directory.resolve(name);
      header(sha, name, Files.size(file));
      hashStream(sha, file);
    }
  }

  private static void hashStream(MessageDigest sha, Path file) throws IOException {
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
    }
  }

  private static void header(MessageDigest sha, String name, long length) {
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(ByteBuffer.allocate(Long.BYTES).putLong(length).array());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has SHA-256", e);
    }
  }
}
