package io.mmsearch.encoders.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.TinyBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
  @TempDir Path dir;

  @Test
  void writtenBundleOpensWithTheSameSpecsVocabularyAndProvenance() throws IOException {
    ModelBundle written = TinyBundles.write(dir, 7);
    ModelBundle opened = ModelBundle.open(dir);
    assertEquals(TinyBundles.imageSpec(), opened.imageSpec());
    assertEquals(TinyBundles.textSpec(), opened.textSpec());
    assertEquals(TinyBundles.vocabulary(), opened.vocabulary());
    assertEquals(TinyBundles.EMBEDDING, opened.dimension());
    assertEquals(written.fingerprint(), opened.fingerprint());
    assertEquals(7L, opened.provenance().seed());
    assertEquals(0.0, opened.provenance().metrics().get("recall@1"));
    assertEquals(dir.resolve("vocab.txt").toAbsolutePath(), opened.vocabularyFile());
  }

  @Test
  void bundleJsonUsesTheContractFieldNames() throws IOException {
    TinyBundles.write(dir, 7);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("bundle.json").toFile());
    assertEquals(2, json.get("format_version").asInt());
    assertEquals(64, json.at("/checksums/files/text.onnx").asText().length());
    assertTrue(json.at("/checksums/settings").has("text.max_tokens"), json.toString());
    assertEquals("dot_product", json.get("similarity").asText());
    assertEquals(TinyBundles.EMBEDDING, json.get("dimension").asInt());
    assertEquals(64, json.get("fingerprint").asText().length());
    assertEquals("center_crop", json.at("/image/resize").asText());
    assertEquals("#FFFFFF", json.at("/image/background").asText());
    assertEquals(TinyBundles.MAX_TOKENS, json.at("/text/max_tokens").asInt());
    assertEquals("word", json.at("/text/tokenizer").asText());
    assertEquals("vocab.txt", json.at("/text/vocabulary").asText());
    assertTrue(json.at("/text/lowercase").asBoolean());
    assertEquals(7, json.at("/provenance/seed").asInt());
  }

  @Test
  void fingerprintIsTheDocumentedHashOfSettingsAndFiles() throws IOException {
    ModelBundle b = TinyBundles.write(dir, 7);
    List<String> names = List.of("image.onnx", "text.onnx", "vocab.txt");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("bundle.json").toFile());
    assertEquals(BundleFingerprint.ofBundle(json, dir, names), b.fingerprint());
    assertNotEquals(BundleFingerprint.ofFiles(dir, names), b.fingerprint());
  }

  @Test
  void fingerprintChangesWhenAnyFileChanges() throws IOException {
    String base = TinyBundles.write(dir.resolve("a"), 7).fingerprint();
    assertEquals(base, TinyBundles.write(dir.resolve("same"), 7).fingerprint());
    assertNotEquals(
        base,
        TinyBundles.writer(7)
            .imageModel(TinyBundles.imageGraph(TinyBundles.EMBEDDING, false, 99))
            .build()
            .write(dir.resolve("image"))
            .fingerprint());
    assertNotEquals(
        base,
        TinyBundles.writer(7)
            .textModel(TinyBundles.textGraph(10, TinyBundles.EMBEDDING, false, 99))
            .build()
            .write(dir.resolve("text"))
            .fingerprint());
    List<String> tokens = new java.util.ArrayList<>(TinyBundles.vocabulary().tokens());
    tokens.add("extra");
    assertNotEquals(
        base,
        TinyBundles.writer(7)
            .vocabulary(io.mmsearch.encoders.text.Vocabulary.of(tokens))
            .build()
            .write(dir.resolve("vocab"))
            .fingerprint());
  }

  @Test
  void fileChangedAfterExportIsRefusedNamingBothFingerprints() throws IOException {
    ModelBundle b = TinyBundles.write(dir, 7);
    byte[] vocab = read("vocab.txt");
    Files.write(dir.resolve("vocab.txt"), java.util.Arrays.copyOf(vocab, vocab.length - 1));
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("fingerprint mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(b.fingerprint()), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void missingFileIsRefusedNamingIt() throws IOException {
    for (String name : List.of("image.onnx", "text.onnx", "vocab.txt", "bundle.json")) {
      Path d = dir.resolve(name.replace('.', '_'));
      TinyBundles.write(d, 7);
      Files.delete(d.resolve(name));
      InvalidBundleException e =
          assertThrows(InvalidBundleException.class, () -> ModelBundle.open(d));
      assertTrue(e.getMessage().contains("missing file " + name), e.getMessage());
    }
  }

  @Test
  void malformedBundleJsonIsRefusedNamingTheFile() throws IOException {
    TinyBundles.write(dir, 7);
    Files.writeString(dir.resolve("bundle.json"), "{\"format_version\": 1, \"name\": ");
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("bundle.json"), e.getMessage());
  }

  @Test
  void missingRequiredFieldIsRefusedNamingIt() throws IOException {
    TinyBundles.write(dir, 7);
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(dir.resolve("bundle.json").toFile());
    json.remove("dimension");
    Files.writeString(dir.resolve("bundle.json"), json.toString());
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("dimension"), e.getMessage());
  }

  @Test
  void unsupportedFormatVersionIsRefused() throws IOException {
    TinyBundles.write(dir, 7);
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(dir.resolve("bundle.json").toFile());
    json.put("format_version", 4);
    Files.writeString(dir.resolve("bundle.json"), json.toString());
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("format_version 4"), e.getMessage());
  }

  @Test
  void unknownFieldsAreIgnoredSoNewerWritersStayReadable() throws IOException {
    TinyBundles.write(dir, 7);
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(dir.resolve("bundle.json").toFile());
    json.put("license", "CC-BY-4.0");
    ((ObjectNode) json.get("image")).put("colour_space", "srgb");
    Files.writeString(dir.resolve("bundle.json"), json.toString());
    ModelBundle refingerprinted = ModelBundle.refingerprint(dir).bundle();
    assertEquals(refingerprinted.fingerprint(), ModelBundle.open(dir).fingerprint());
    assertEquals(
        "srgb",
        new ObjectMapper()
            .readTree(dir.resolve("bundle.json").toFile())
            .at("/image/colour_space")
            .asText(),
        "kept through the rewrite");
  }

  @Test
  void vocabularyNameThatLeavesTheBundleIsRefused() {
    BundleWriter w =
        TinyBundles.writer(7)
            .textSpec(new io.mmsearch.encoders.text.TextInputSpec("word", "../vocab.txt", 6, true))
            .build();
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> w.write(dir));
    assertTrue(e.getMessage().contains("../vocab.txt"), e.getMessage());
  }

  @Test
  void rewritingABundleReplacesItsFiles() throws IOException {
    TinyBundles.write(dir, 7);
    ModelBundle second = TinyBundles.write(dir, 8);
    assertEquals(second.fingerprint(), ModelBundle.open(dir).fingerprint());
    assertArrayEquals(TinyBundles.imageGraph(TinyBundles.EMBEDDING, false, 8), read("image.onnx"));
    try (var files = Files.list(dir)) {
      assertEquals(4, files.count(), "no temporary files left behind");
    }
  }

  private byte[] read(String name) throws IOException {
    return Files.readAllBytes(dir.resolve(name));
  }
}
