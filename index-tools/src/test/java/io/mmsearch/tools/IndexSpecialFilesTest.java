package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.encoders.image.SpecialFiles;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest whose {@code image} names things that are not image files: a named pipe (opening it
 * would wait for a writer forever), a socket, character devices that never end or read empty, a
 * link to a device, a sparse file larger than the heap and a file that keeps growing. Each is
 * rejected at {@code read} naming the item and what the file is, before it is opened or past the
 * size budget; the good images around them are indexed and the run ends normally.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IndexSpecialFilesTest {
  @TempDir static Path root;
  static JsonNode summary;
  static ErrorReportLines report;
  static Set<String> indexedIds = new TreeSet<>();

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  static void indexTheSpecialFiles() throws Exception {
    Path bundle = root.resolve("bundle");
    TinyBundles.write(bundle, 3);
    Path m = root.resolve("manifest");
    TestImages.write(m.resolve("before.png"), BadInputCorpus.png(Color.RED));
    TestImages.write(m.resolve("after.png"), BadInputCorpus.png(Color.BLUE));
    SpecialFiles.namedPipe(m.resolve("pipe.png"));
    SpecialFiles.socket(m.resolve("socket.png"));
    Files.createSymbolicLink(m.resolve("zero-link.png"), SpecialFiles.ZERO_DEVICE);
    SpecialFiles.largerThanTheHeap(m.resolve("sparse.png"));
    Path folder = root.resolve("folder");
    TestImages.write(folder.resolve("fine.png"), BadInputCorpus.png(Color.GREEN));
    SpecialFiles.namedPipe(folder.resolve("pipe-in-folder.png"));
    try (SpecialFiles.Growing growing = SpecialFiles.growing(m.resolve("growing.png"), 64 << 20)) {
      Files.writeString(
          m.resolve("manifest.jsonl"),
          String.join(
              "\n",
              line("before", "before.png"),
              line("pipe", "pipe.png"),
              line("socket", "socket.png"),
              line("zero", SpecialFiles.ZERO_DEVICE.toString()),
              line("null", SpecialFiles.NULL_DEVICE.toString()),
              line("zero-link", "zero-link.png"),
              line("sparse", "sparse.png"),
              line("growing", "growing.png"),
              line("after", "after.png"),
              ""));
      Path index = root.resolve("index");
      Path errors = root.resolve("errors.jsonl");
      summary =
          IndexCommandTest.index(
              m.resolve("manifest.jsonl").toString(),
              folder.toString(),
              "--index",
              index.toString(),
              "--model",
              bundle.toString(),
              "--errors",
              errors.toString());
      report = ErrorReportLines.read(errors);
      try (var d = FSDirectory.open(index);
          var r = DirectoryReader.open(d)) {
        StoredFields stored = r.storedFields();
        for (int i = 0; i < r.maxDoc(); i++) {
          indexedIds.add(stored.document(i).get("id"));
        }
      }
    }
  }

  private static String line(String id, String image) {
    return "{\"id\":\"" + id + "\",\"image\":\"" + image + "\"}";
  }

  private static void assertReported(String id, String stage, String reasonPart) {
    report.assertReported("(" + id + ")", stage, reasonPart);
  }

  @Test
  void namedPipeIsRejectedWithoutBlockingTheRun() {
    assertReported("pipe", "read", "not a regular file: it is a named pipe (FIFO)");
  }

  @Test
  void socketIsRejected() {
    assertReported("socket", "read", "not a regular file: it is a socket");
  }

  @Test
  void characterDevicesAreRejectedUnread() {
    assertReported("zero", "read", "not a regular file: it is a character device");
    assertReported("null", "read", "not a regular file: it is a character device");
    assertReported("zero-link", "read", "not a regular file: it is a character device");
  }

  @Test
  void sparseFileLargerThanTheHeapIsRejectedByItsSize() {
    assertReported("sparse", "read", "bytes, over the limit of 268435456 bytes");
  }

  @Test
  void fileThatKeepsGrowingIsRejectedAtTheSizeBudget() {
    // Over the budget when its size is taken, or past it while being read: memory stays bounded.
    assertReported("growing", "read", "limit of 268435456 bytes");
  }

  @Test
  void namedPipeFoundInAFolderIsRejectedAtScan() {
    JsonNode line = report.only("pipe-in-folder.png");
    assertEquals("scan", line.get("stage").asText());
    assertEquals("not a regular file", line.get("reason").asText());
  }

  @Test
  void theImagesAroundThemAreIndexedAndTheSummaryAddsUp() {
    assertEquals(Set.of("before", "after", "fine.png"), indexedIds);
    assertEquals(3, summary.get("added").asLong());
    assertEquals(report.size(), summary.get("rejected").asLong());
    assertEquals(
        summary.get("found").asLong(),
        summary.get("added").asLong() + summary.get("rejected").asLong(),
        summary.toString());
  }
}
