package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.encoders.bundle.BundleFingerprint;
import io.mmsearch.encoders.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mmsearch bundle verify|refingerprint}, and the model guard over bundle.json: an edited
 * preprocessing setting is refused by name, and after a deliberate re-fingerprint an index built
 * with the old bundle refuses the new one.
 */
class BundleCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  static SampleIndex sample;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    sample = SampleIndex.create(root.resolve("sample"));
  }

  @Test
  void verifyDescribesAValidBundle() throws Exception {
    TinyBundles.write(dir, 3);
    Cli r = Cli.run("bundle", "verify", dir.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("format       2"), r.out());
    assertTrue(r.out().contains("word tokenizer (vocab.txt)"), r.out());
    assertTrue(r.out().contains("unit length"), r.out());
  }

  @Test
  void verifyRefusesATamperedBundleWithTheReason() throws Exception {
    TinyBundles.write(dir, 3);
    Files.writeString(dir.resolve("vocab.txt"), "<pad>\n<unk>\nother\n");
    Cli r = Cli.run("bundle", "verify", dir.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("mmsearch bundle verify: "), r.err());
    assertTrue(r.err().contains("file vocab.txt changed"), r.err());
  }

  @Test
  void anEditedPreprocessingSettingIsRefusedBySearchNamingItThenRefingerprintMakesItAnotherModel()
      throws Exception {
    Path bundle = root.resolve("edited");
    copy(sample.bundle, bundle);
    String original = ModelBundle.open(bundle).fingerprint();
    ObjectNode json = (ObjectNode) JSON.readTree(bundle.resolve("bundle.json").toFile());
    ((ObjectNode) json.get("text")).put("lowercase", false);
    Files.writeString(bundle.resolve("bundle.json"), json.toPrettyString());

    Cli search =
        Cli.run("search", "--index", sample.index.toString(), "--model", bundle.toString(), "red");
    assertEquals(1, search.exitCode());
    assertTrue(search.err().contains("setting text.lowercase changed"), search.err());
    assertTrue(search.err().contains("bundle refingerprint"), search.err());

    Cli refingerprint = Cli.run("bundle", "refingerprint", bundle.toString());
    assertEquals(0, refingerprint.exitCode(), refingerprint.err());
    assertTrue(refingerprint.out().contains(original + " -> "), refingerprint.out());
    assertTrue(refingerprint.out().contains("rebuild them"), refingerprint.out());

    Cli again =
        Cli.run("search", "--index", sample.index.toString(), "--model", bundle.toString(), "red");
    assertEquals(2, again.exitCode());
    assertTrue(again.err().contains("the index was built with model"), again.err());
    assertTrue(again.err().contains(original), again.err());
  }

  @Test
  void refingerprintUpgradesAVersion1Bundle() throws Exception {
    // a format-1 bundle as the previous writer produced it (the shipped default is format 2 now)
    TinyBundles.write(dir, 7);
    ObjectMapper json = new ObjectMapper();
    ObjectNode descriptor = (ObjectNode) json.readTree(dir.resolve("bundle.json").toFile());
    descriptor.put("format_version", 1);
    descriptor.remove("checksums");
    descriptor.put(
        "fingerprint",
        BundleFingerprint.ofFiles(dir, java.util.List.of("image.onnx", "text.onnx", "vocab.txt")));
    json.writeValue(dir.resolve("bundle.json").toFile(), descriptor);
    String v1 = ModelBundle.open(dir).fingerprint();
    assertEquals(1, ModelBundle.open(dir).formatVersion());
    Cli r = Cli.run("bundle", "refingerprint", dir.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains(v1 + " -> "), r.out());
    assertTrue(r.out().contains("(format 2)"), r.out());
    assertEquals(2, ModelBundle.open(dir).formatVersion());
  }

  @Test
  void refingerprintOfAnInvalidBundleFailsWithTheReason() throws Exception {
    TinyBundles.write(dir, 3);
    Files.delete(dir.resolve("text.onnx"));
    Cli r = Cli.run("bundle", "refingerprint", dir.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("missing file text.onnx"), r.err());
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
