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
import java.util.ArrayList;
import java.util.List;
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
 * but valid images are indexed, and nothing bad stops the run.
 */
class IndexBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  static Path index;
  static JsonNode summary;
  static List<JsonNode> report = new ArrayList<>();
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
    BadInputCorpus.hugeHeader(folder.resolve("huge.png"), 20000, 30000);
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
    Files.write(m.resolve("manifest.jsonl"), lines.toByteArray());

    index = root.resolve("index");
    Path errors = root.resolve("errors.jsonl");
    summary =
        IndexCommandTest.index(
            folder.toString(),
            m.resolve("manifest.jsonl").toString(),
            "--index",
            index.toString(),
            "--model",
            bundle.toString(),
            "--errors",
            errors.toString());
    for (String line : Files.readAllLines(errors)) {
      report.add(JSON.readTree(line));
    }
    try (var d = FSDirectory.open(index);
        var r = DirectoryReader.open(d)) {
      StoredFields stored = r.storedFields();
      for (int i = 0; i < r.maxDoc(); i++) {
        indexedIds.add(stored.document(i).get("id"));
      }
    }
  }

  private static JsonNode reported(String itemPart) {
    List<JsonNode> matches =
        report.stream().filter(l -> l.get("item").asText().contains(itemPart)).toList();
    assertEquals(1, matches.size(), () -> itemPart + " should be reported once; report: " + report);
    return matches.get(0);
  }

  private static void assertReported(String itemPart, String stage, String reasonPart) {
    JsonNode line = reported(itemPart);
    assertEquals(stage, line.get("stage").asText(), line.toString());
    assertTrue(line.get("reason").asText().contains(reasonPart), line.toString());
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
    assertReported("huge.png", "decode", "20000x30000");
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
                "m-a",
                "m-b"));
    if (!permissionsEnforced) {
      good.add("locked.png");
    }
    assertEquals(good, indexedIds);
    assertEquals(good.size(), summary.get("added").asLong());
    assertEquals(report.size(), summary.get("rejected").asLong());
    assertEquals(
        summary.get("found").asLong(),
        summary.get("added").asLong() + summary.get("rejected").asLong(),
        summary.toString());
  }
}
