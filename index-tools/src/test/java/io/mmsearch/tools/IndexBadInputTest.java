package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.TinyBundles;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A messy collection: every bad item lands in the error report with its stage and reason, unusual
 * but valid images are indexed, and nothing bad stops the run. Values over the index's limits are
 * rejected naming the field, a malformed CSV costs one row, a symbolic link cannot escape {@code
 * --confine}, an image too large to decode whole is indexed from a subsampled decode, and the
 * summary's counts add up on the first run and on the re-run.
 */
class IndexBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  static Path index;
  static JsonNode summary;
  static JsonNode rerun;
  static ErrorReportLines report;
  static Set<String> indexedIds = new TreeSet<>();
  static boolean permissionsEnforced;

  @BeforeAll
  static void indexTheCorpus() throws Exception {
    Path bundle = root.resolve("bundle");
    TinyBundles.write(bundle, 3);
    Path folder = root.resolve("folder");
    TestImages.write(folder.resolve("good.png"), BadInputCorpus.png(Color.GREEN));
    BadInputCorpus.zeroBytes(folder.resolve("zero.png"));
    BadInputCorpus.truncated(folder.resolve("truncated.png"));
    TestImages.write(folder.resolve("really-a-png.jpg"), BadInputCorpus.png(Color.CYAN));
    TestImages.write(
        folder.resolve("text-named.png"), "not an image at all\n".getBytes(StandardCharsets.UTF_8));
    TestImages.write(folder.resolve("notes.txt"), "meeting notes".getBytes(StandardCharsets.UTF_8));
    BadInputCorpus.hugeHeader(folder.resolve("huge.png"), 40000, 40000);
    BadInputCorpus.largePng(folder.resolve("clip-art.png"), 10534, 16000);
    BadInputCorpus.cmykJpeg(folder.resolve("cmyk.jpg"));
    BadInputCorpus.sixteenBitPng(folder.resolve("sixteen-bit.png"));
    BadInputCorpus.animatedGif(folder.resolve("animated.gif"));
    permissionsEnforced = BadInputCorpus.unreadable(folder.resolve("locked.png"));
    Files.createSymbolicLink(folder.resolve("sub-loop"), folder);
    Files.createSymbolicLink(folder.resolve("self-link.png"), folder.resolve("self-link.png"));

    Path m = root.resolve("manifest");
    TestImages.write(m.resolve("a.png"), BadInputCorpus.png(Color.RED));
    TestImages.write(m.resolve("b.png"), BadInputCorpus.png(Color.BLUE));
    TestImages.write(root.resolve("outside.png"), BadInputCorpus.png(Color.BLACK));
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    lines.writeBytes(
        String.join(
                "\n",
                "{\"id\":\"m-a\",\"image\":\"a.png\",\"caption\":\"red\"}",
                "{\"id\":\"m-a\",\"image\":\"b.png\",\"caption\":\"duplicate\"}",
                "{\"id\":\"m-broken\",\"image\":",
                "{\"caption\":\"no id\",\"image\":\"b.png\"}",
                "{\"id\":\"m-noimage\",\"caption\":\"no image\"}",
                "{\"id\":\"m-outside\",\"image\":\"../outside.png\"}",
                "{\"id\":\"m-missing\",\"image\":\"gone.png\"}",
                "")
            .getBytes(StandardCharsets.UTF_8));
    lines.writeBytes(
        "{\"id\":\"m-latin1\",\"image\":\"b.png\",\"caption\":\"caf"
            .getBytes(StandardCharsets.UTF_8));
    lines.write(0xE9);
    lines.writeBytes(
        "\"}\n{\"id\":\"m-b\",\"image\":\"b.png\"}\n".getBytes(StandardCharsets.UTF_8));
    Files.createSymbolicLink(m.resolve("link.png"), root.resolve("outside.png"));
    lines.writeBytes(
        String.join(
                "\n",
                "{\"id\":\"" + "i".repeat(40_000) + "\",\"image\":\"a.png\"}",
                "{\"id\":\"m-longclass\",\"image\":\"a.png\",\"class\":\""
                    + "c".repeat(9000)
                    + "\"}",
                "{\"id\":\"m-longcaption\",\"image\":\"a.png\",\"caption\":\""
                    + "w ".repeat(40_000)
                    + "\"}",
                "{\"id\":\"m-link\",\"image\":\"link.png\"}",
                "{\"id\":\"m-after\",\"image\":\"a.png\",\"caption\":\"after the bad ones\"}",
                "")
            .getBytes(StandardCharsets.UTF_8));
    Files.write(m.resolve("manifest.jsonl"), lines.toByteArray());
    Files.writeString(
        m.resolve("more.csv"),
        String.join(
            "\n",
            "id,image,caption",
            "c-quote,a.png,a 5\" screen",
            "c-open,b.png,\"never closed",
            "c-next,b.png,after the open quote",
            "c-last,a.png,\"quoted, fine\"",
            ""));

    index = root.resolve("index");
    Path errors = root.resolve("errors.jsonl");
    String[] args = {
      folder.toString(),
      m.resolve("manifest.jsonl").toString(),
      m.resolve("more.csv").toString(),
      "--index",
      index.toString(),
      "--model",
      bundle.toString(),
      "--errors",
      errors.toString(),
      "--confine"
    };
    summary = IndexCommandTest.index(args);
    report = ErrorReportLines.read(errors);
    try (var d = FSDirectory.open(index);
        var r = DirectoryReader.open(d)) {
      StoredFields stored = r.storedFields();
      for (int i = 0; i < r.maxDoc(); i++) {
        indexedIds.add(stored.document(i).get("id"));
        if ("clip-art.png".equals(stored.document(i).get("id"))) {
          clipArtSize = stored.document(i).get("width") + "x" + stored.document(i).get("height");
        }
      }
    }
    rerun = IndexCommandTest.index(args);
  }

  static String clipArtSize;

  private static void assertAddsUp(JsonNode s) {
    assertEquals(
        s.get("found").asLong(),
        s.get("added").asLong()
            + s.get("updated").asLong()
            + s.get("unchanged").asLong()
            + s.get("rejected").asLong(),
        "found = added + updated + unchanged + rejected: " + s);
  }

  private static JsonNode reported(String itemPart) {
    return report.only(itemPart);
  }

  private static void assertReported(String itemPart, String stage, String reasonPart) {
    report.assertReported(itemPart, stage, reasonPart);
  }

  @Test
  void zeroByteFileIsRejectedAtRead() {
    assertReported("zero.png", "read", "empty file");
  }

  @Test
  void truncatedFileIsRejectedAtDecode() {
    assertReported("truncated.png", "decode", "");
  }

  @Test
  void nonImagesAreRejectedByContentWhateverTheirName() {
    assertReported("text-named.png", "detect", "not an image: the content is text/plain");
    assertReported("notes.txt", "detect", "not an image");
  }

  @Test
  void imageWithAWrongExtensionIsIndexedAsWhatItIs() {
    assertTrue(indexedIds.contains("really-a-png.jpg"));
  }

  @Test
  void hugeDeclaredSizeIsRejectedBeforeDecoding() {
    assertReported(
        "huge.png", "decode", "40000x40000 = 1600000000 pixels exceeds the budget of 640000000");
  }

  @Test
  void imageOverTheDecodeBudgetIsIndexedFromASubsampledDecodeWithItsRealSize() {
    assertTrue(indexedIds.contains("clip-art.png"), indexedIds.toString());
    assertEquals("10534x16000", clipArtSize);
  }

  @Test
  void valuesOverTheIndexLimitsAreRejectedNamingTheFieldAndTheRunGoesOn() {
    assertReported("manifest.jsonl:10", "validate", "id is 40000 bytes of UTF-8, over Lucene's");
    assertReported("(m-longclass)", "validate", "class is 9000 characters, over the facet path");
    assertReported("(m-longcaption)", "validate", "caption is 79999 bytes of UTF-8, over the");
    assertTrue(indexedIds.contains("m-after"), "the line after them is indexed");
    JsonNode longId = reported("manifest.jsonl:10");
    assertTrue(longId.toString().length() < 1000, "the report does not repeat the id: " + longId);
  }

  @Test
  void symbolicLinkOutOfTheManifestFolderIsRejectedUnderConfine() {
    assertReported("manifest.jsonl:13", "manifest", "leads through a symbolic link");
  }

  @Test
  void malformedCsvRowIsReportedAndTheRowsAfterItAreIndexed() {
    assertReported("more.csv:3", "manifest", "quoted cell opened on line 3");
    assertTrue(
        indexedIds.containsAll(Set.of("c-quote", "c-next", "c-last")), indexedIds.toString());
  }

  @Test
  void cmykJpegSixteenBitPngAndAnimatedGifAreValidImagesAndIndexed() {
    assertTrue(
        indexedIds.containsAll(Set.of("cmyk.jpg", "sixteen-bit.png", "animated.gif")),
        indexedIds.toString());
  }

  @Test
  void unreadableFileIsReportedUnlessRunningAsRoot() {
    if (permissionsEnforced) {
      assertReported("locked.png", "read", "permission denied");
    } else {
      // root reads any file: chmod 000 does not stop it, so the image is simply indexed.
      assertTrue(indexedIds.contains("locked.png"));
    }
  }

  @Test
  void symbolicLinkLoopsAreReportedAtScan() {
    assertReported("sub-loop", "scan", "symbolic link loop");
    assertReported("self-link.png", "scan", "symbolic link loop");
  }

  @Test
  void manifestProblemsAreReportedWithTheirLine() {
    assertReported("manifest.jsonl:2", "manifest", "duplicate id m-a");
    assertReported("manifest.jsonl:3", "manifest", "invalid JSON");
    assertReported("manifest.jsonl:4", "manifest", "missing id");
    assertReported("manifest.jsonl:5", "manifest", "missing image");
    assertReported("manifest.jsonl:6", "manifest", "outside the manifest's folder");
    assertReported("manifest.jsonl:7", "read", "no such file");
    assertReported("manifest.jsonl:8", "manifest", "not valid UTF-8");
  }

  @Test
  void everyGoodItemIsIndexedAndTheSummaryAddsUp() {
    Set<String> good =
        new TreeSet<>(
            Set.of(
                "good.png",
                "really-a-png.jpg",
                "cmyk.jpg",
                "sixteen-bit.png",
                "animated.gif",
                "clip-art.png",
                "m-a",
                "m-b",
                "m-after",
                "c-quote",
                "c-next",
                "c-last"));
    if (!permissionsEnforced) {
      good.add("locked.png");
    }
    assertEquals(good, indexedIds);
    assertEquals(good.size(), summary.get("added").asLong());
    assertEquals(report.size(), summary.get("rejected").asLong());
    assertAddsUp(summary);
  }

  @Test
  void reRunFindsTheSameItemsUnchangedAndItsSummaryAddsUpToo() {
    assertEquals(summary.get("found").asLong(), rerun.get("found").asLong(), rerun.toString());
    assertEquals(summary.get("added").asLong(), rerun.get("unchanged").asLong(), rerun.toString());
    assertEquals(0, rerun.get("added").asLong() + rerun.get("updated").asLong());
    assertEquals(summary.get("rejected").asLong(), rerun.get("rejected").asLong());
    assertAddsUp(rerun);
  }
}
