package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.TinyBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Using an index with another model, or a broken bundle, is a one-line error, not a trace. */
class ModelGuardCommandTest {
  @TempDir static Path root;
  static SampleIndex sample;
  static Path otherBundle;

  @BeforeAll
  static void setUp() throws Exception {
    sample = SampleIndex.create(root.resolve("sample"));
    otherBundle = root.resolve("other-bundle");
    TinyBundles.write(otherBundle, 99);
  }

  @Test
  void indexingWithAnotherModelIsRefusedNamingBothFingerprints() {
    Cli r =
        Cli.run(
            "index",
            "--no-progress",
            sample.manifest.toString(),
            "--index",
            sample.index.toString(),
            "--model",
            otherBundle.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("mmsearch index: "), r.err());
    assertTrue(r.err().contains("the index was built with model"), r.err());
  }

  @Test
  void searchingWithAnotherModelIsRefused() {
    Cli r =
        Cli.run(
            "search", "--index", sample.index.toString(), "--model", otherBundle.toString(), "red");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("the index was built with model"), r.err());
  }

  @Test
  void aTamperedBundleIsRefusedWithTheReason() throws Exception {
    Path tampered = root.resolve("tampered");
    TinyBundles.write(tampered, 5);
    Files.writeString(
        tampered.resolve("vocab.txt"), "\nextra", java.nio.file.StandardOpenOption.APPEND);
    Cli r =
        Cli.run(
            "search", "--index", sample.index.toString(), "--model", tampered.toString(), "red");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("fingerprint mismatch"), r.err());
  }
}
