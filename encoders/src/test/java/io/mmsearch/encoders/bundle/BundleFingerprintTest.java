package io.mmsearch.encoders.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.TinyBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format 2: the fingerprint covers bundle.json's settings; format 1 bundles keep loading. */
class BundleFingerprintTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void changedPreprocessingSettingIsAMismatchNamingItAndTheFix() throws IOException {
    record Edit(String setting, Consumer<ObjectNode> edit) {}
    List<Edit> edits =
        List.of(
            new Edit("text.max_tokens", j -> text(j).put("max_tokens", 7)),
            new Edit("text.lowercase", j -> text(j).put("lowercase", false)),
            new Edit("image.mean", j -> ((ArrayNode) image(j).get("mean")).set(0, 0.4)),
            new Edit("image.std", j -> ((ArrayNode) image(j).get("std")).set(2, 0.3)),
            new Edit("image.resize", j -> image(j).put("resize", "pad")),
            new Edit("image.background", j -> image(j).put("background", "#000000")));
    for (Edit edit : edits) {
      Path d = dir.resolve(edit.setting());
      ModelBundle b = TinyBundles.write(d, 7);
      ObjectNode json = read(d);
      edit.edit().accept(json);
      write(d, json);
      InvalidBundleException e =
          assertThrows(InvalidBundleException.class, () -> ModelBundle.open(d));
      assertTrue(e.getMessage().contains("fingerprint mismatch"), e.getMessage());
      assertTrue(e.getMessage().contains(b.fingerprint()), e.getMessage());
      assertTrue(e.getMessage().contains("setting " + edit.setting() + " changed"), e.getMessage());
      assertTrue(
          e.getMessage().contains("./mmsearch bundle refingerprint " + d.toAbsolutePath()),
          e.getMessage());
    }
  }

  @Test
  void changedFileIsNamed() throws IOException {
    TinyBundles.write(dir, 7);
    Files.writeString(dir.resolve("vocab.txt"), "<pad>\n<unk>\nother\n");
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("file vocab.txt changed"), e.getMessage());
  }

  @Test
  void addedAndRemovedSettingsAreNamed() throws IOException {
    TinyBundles.write(dir, 7);
    ObjectNode json = read(dir);
    json.put("temperature", 0.07);
    write(dir, json);
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("setting temperature was added"), e.getMessage());
  }

  @Test
  void provenanceAndLayoutAreNotPartOfTheFingerprint() throws IOException {
    ModelBundle b = TinyBundles.write(dir, 7);
    ObjectNode json = read(dir);
    ((ObjectNode) json.get("provenance")).put("dataset", "renamed");
    Files.writeString(dir.resolve("bundle.json"), json.toString()); // compact, reordered
    assertEquals(b.fingerprint(), ModelBundle.open(dir).fingerprint());
  }

  @Test
  void bundleJsonWithoutFingerprintTellsToRunRefingerprint() throws IOException {
    TinyBundles.write(dir, 7);
    ObjectNode json = read(dir);
    json.remove("fingerprint");
    write(dir, json);
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("has no fingerprint"), e.getMessage());
    assertTrue(e.getMessage().contains("bundle refingerprint"), e.getMessage());
    assertEquals(2, ModelBundle.refingerprint(dir).bundle().formatVersion());
  }

  @Test
  void version1BundleKeepsLoadingWithItsFilesOnlyFingerprint() throws IOException {
    String v1 = writeVersion1(dir);
    ModelBundle opened = ModelBundle.open(dir);
    assertEquals(1, opened.formatVersion());
    assertEquals(v1, opened.fingerprint());
  }

  @Test
  void theShippedDefaultModelStillOpensWithItsRecordedFingerprint() throws IOException {
    Path shipped = defaultModel();
    ModelBundle b = ModelBundle.open(shipped);
    assertEquals(read(shipped).get("fingerprint").asText(), b.fingerprint());
  }

  @Test
  void refingerprintUpgradesVersion1SoSettingsAreCovered() throws IOException {
    String v1 = writeVersion1(dir);
    ModelBundle.Refingerprinted r = ModelBundle.refingerprint(dir);
    assertEquals(v1, r.previousFingerprint());
    assertEquals(2, r.bundle().formatVersion());
    assertNotEquals(v1, r.bundle().fingerprint());
    assertEquals(r.bundle().fingerprint(), ModelBundle.open(dir).fingerprint());
    ObjectNode json = read(dir);
    text(json).put("max_tokens", 3);
    write(dir, json);
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("setting text.max_tokens changed"), e.getMessage());
  }

  @Test
  void refingerprintRefusesAnInvalidBundleAndWritesNothing() throws IOException {
    TinyBundles.write(dir, 7);
    ObjectNode json = read(dir);
    image(json).put("resize", "fisheye");
    write(dir, json);
    byte[] before = Files.readAllBytes(dir.resolve("bundle.json"));
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.refingerprint(dir));
    assertTrue(e.getMessage().contains("fisheye"), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("bundle.json"))));
  }

  /** A format-1 bundle as the previous writer produced it; returns its fingerprint. */
  static String writeVersion1(Path d) throws IOException {
    TinyBundles.write(d, 7);
    ObjectNode json = read(d);
    json.put("format_version", 1);
    json.remove("checksums");
    String v1 = BundleFingerprint.ofFiles(d, List.of("image.onnx", "text.onnx", "vocab.txt"));
    json.put("fingerprint", v1);
    write(d, json);
    return v1;
  }

  static Path defaultModel() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("sample-data/models/default"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("sample-data/models/default not found above the work dir");
    }
    return p.resolve("sample-data/models/default");
  }

  private static ObjectNode read(Path d) throws IOException {
    return (ObjectNode) JSON.readTree(d.resolve("bundle.json").toFile());
  }

  private static void write(Path d, ObjectNode json) throws IOException {
    Files.writeString(
        d.resolve("bundle.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
  }

  private static ObjectNode text(ObjectNode json) {
    return (ObjectNode) json.get("text");
  }

  private static ObjectNode image(ObjectNode json) {
    return (ObjectNode) json.get("image");
  }
}
