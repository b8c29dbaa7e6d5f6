package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.manifest.ImageFields;
import io.mmsearch.manifest.ManifestReader;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  static Path bundle;

  @TempDir Path dir;

  @BeforeAll
  static void writeBundle() throws Exception {
    bundle = shared.resolve("bundle");
    TinyBundles.write(bundle, 42);
  }

  /** Runs {@code mmsearch index ... --json} and returns the summary. */
  static JsonNode index(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("index", "--no-progress", "--json"));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = MmsearchCommand.commandLine().execute(all.toArray(String[]::new));
    } finally {
      System.setOut(original);
    }
    assertEquals(0, code, () -> "exit code; output: " + out);
    String text = out.toString(StandardCharsets.UTF_8).strip();
    return JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
  }

  static long liveDocs(Path index) throws Exception {
    try (var d = FSDirectory.open(index);
        var r = DirectoryReader.open(d)) {
      return r.numDocs();
    }
  }

  private Path folderOfShapes() throws Exception {
    Path images = dir.resolve("images");
    TestImages.write(images.resolve("red/square.png"), TestImages.shape(Color.RED, false, "png"));
    TestImages.write(images.resolve("red/circle.jpg"), TestImages.shape(Color.RED, true, "jpeg"));
    TestImages.write(images.resolve("blue/circle.png"), TestImages.shape(Color.BLUE, true, "png"));
    return images;
  }

  @Test
  void aManifestLineIsIndexedByTheSharedFieldMapping() throws Exception {
    Path images = folderOfShapes();
    Path manifest = images.resolve("manifest.jsonl");
    Files.writeString(
        manifest,
        "{\"id\":\"sq\",\"image\":\"red/square.png\",\"caption\":[\"a red square\","
            + "\"crimson block\"],\"keywords\":[\"shape\",\"red\"],\"class\":\"shapes\","
            + "\"subclass\":\"squares\"}\n");
    Path index = dir.resolve("index");
    index(manifest.toString(), "--index", index.toString(), "--model", bundle.toString());
    ImageFields expected = ImageFields.of(ManifestReader.of(manifest).readAll().entries().get(0));
    try (var d = FSDirectory.open(index);
        var r = DirectoryReader.open(d)) {
      Document doc = r.storedFields().document(0);
      assertEquals(expected.id(), doc.get(ImageFields.ID));
      assertEquals(expected.uri(), doc.get(ImageFields.URI));
      assertEquals("a red square | crimson block", doc.get(ImageFields.CAPTION));
      assertEquals(expected.keywords(), List.of(doc.getValues(ImageFields.KEYWORDS)));
      assertEquals(expected.className(), doc.get(ImageFields.CLASS));
      assertEquals(expected.subclass(), doc.get(ImageFields.SUBCLASS));
    }
  }

  @Test
  void indexesAFolderRecursivelyWithClassesFromFolderNames() throws Exception {
    Path images = folderOfShapes();
    Path index = dir.resolve("index");
    JsonNode s =
        index(
            images.toString(),
            "--index",
            index.toString(),
            "--model",
            bundle.toString(),
            "--class-from-folder");
    assertEquals(3, s.get("added").asLong(), s.toString());
    assertEquals(0, s.get("rejected").asLong(), s.toString());
    assertEquals(3, s.get("documents").asLong());
    assertEquals(3, liveDocs(index));
  }

  @Test
  void reRunSkipsUnchangedUpdatesChangedAndDeletesMissingOnRequest() throws Exception {
    Path images = folderOfShapes();
    Path index = dir.resolve("index");
    String[] args = {images.toString(), "--index", index.toString(), "--model", bundle.toString()};
    index(args);

    JsonNode again = index(args);
    assertEquals(3, again.get("unchanged").asLong(), again.toString());
    assertEquals(0, again.get("added").asLong());

    Files.write(images.resolve("red/square.png"), TestImages.shape(Color.GREEN, false, "png"));
    Files.delete(images.resolve("blue/circle.png"));
    JsonNode changed = index(args);
    assertEquals(1, changed.get("updated").asLong(), changed.toString());
    assertEquals(1, changed.get("unchanged").asLong());
    assertEquals(0, changed.get("deleted").asLong());
    assertEquals(3, liveDocs(index), "without --delete-missing the vanished file stays indexed");

    List<String> withDelete = new ArrayList<>(List.of(args));
    withDelete.add("--delete-missing");
    JsonNode deleted = index(withDelete.toArray(String[]::new));
    assertEquals(1, deleted.get("deleted").asLong(), deleted.toString());
    assertEquals(2, liveDocs(index));
  }

  @Test
  void manifestCaptionChangeUpdatesTheDocument() throws Exception {
    Path images = folderOfShapes();
    Path manifest = images.resolve("m.jsonl");
    Files.writeString(
        manifest, "{\"id\":\"a\",\"image\":\"red/square.png\",\"caption\":\"red square\"}\n");
    Path index = dir.resolve("index");
    String[] args = {
      manifest.toString(), "--index", index.toString(), "--model", bundle.toString()
    };
    assertEquals(1, index(args).get("added").asLong());
    Files.writeString(
        manifest, "{\"id\":\"a\",\"image\":\"red/square.png\",\"caption\":\"a red square\"}\n");
    assertEquals(1, index(args).get("updated").asLong());
  }

  @Test
  void embeddedMetadataFillsCaptionAndKeywordsOnlyWhereTheManifestHasNone() throws Exception {
    Path images = dir.resolve("meta");
    byte[] png =
        TestImages.pngWithText(
            "Title", "Apple", "Description", "a shiny red apple", "Keywords", "fruit, red");
    TestImages.write(images.resolve("apple.png"), png);
    TestImages.write(images.resolve("sub/apple-copy.png"), png);
    Path manifest = dir.resolve("m.jsonl");
    Files.writeString(
        manifest,
        "{\"id\":\"from-manifest\",\"image\":\"meta/sub/apple-copy.png\",\"caption\":\"my apple\"}\n");
    Path index = dir.resolve("index");
    index(
        images.resolve("apple.png").toString(),
        manifest.toString(),
        "--index",
        index.toString(),
        "--model",
        bundle.toString());
    try (var d = FSDirectory.open(index);
        var r = DirectoryReader.open(d)) {
      var stored = r.storedFields();
      java.util.Map<String, org.apache.lucene.document.Document> byId = new java.util.HashMap<>();
      for (int i = 0; i < r.maxDoc(); i++) {
        var doc = stored.document(i);
        byId.put(doc.get("id"), doc);
      }
      var fromFile = byId.get("apple.png");
      assertEquals("a shiny red apple", fromFile.get("caption"));
      assertEquals(List.of("fruit", "red"), List.of(fromFile.getValues("keywords")));
      assertEquals("image/png", fromFile.get("mime"));
      assertEquals(8, fromFile.getField("width").numericValue().intValue());
      var fromManifest = byId.get("from-manifest");
      assertEquals("my apple", fromManifest.get("caption"), "the manifest's caption wins");
      assertEquals(
          List.of("fruit", "red"),
          List.of(fromManifest.getValues("keywords")),
          "keywords were missing: taken from the file");
    }
  }

  @Test
  void deleteMissingIsNotAppliedWhenAnInputCannotBeRead() throws Exception {
    Path images = folderOfShapes();
    Path index = dir.resolve("index");
    index(images.toString(), "--index", index.toString(), "--model", bundle.toString());
    JsonNode s =
        index(
            images.resolve("red").toString(),
            dir.resolve("typo-in-folder-name").toString(),
            "--index",
            index.toString(),
            "--model",
            bundle.toString(),
            "--delete-missing");
    assertTrue(s.get("delete_missing_skipped").asBoolean(), s.toString());
    assertEquals(0, s.get("deleted").asLong());
    assertEquals(
        3 + 2, liveDocs(index), "nothing deleted; the red folder's files were added under new ids");
  }

  @Test
  void foldersJsonlAndCsvManifestsMixInOneRun() throws Exception {
    Path images = folderOfShapes();
    Path csv = dir.resolve("more.csv");
    TestImages.write(dir.resolve("csv/green.png"), TestImages.shape(Color.GREEN, true, "png"));
    Files.writeString(
        csv,
        "id,image,caption,keywords,class\n"
            + "csv-green,csv/green.png,\"a green, round thing\",\"green, circle\",shapes\n");
    Path jsonl = dir.resolve("more.jsonl");
    Files.writeString(
        jsonl, "{\"id\":\"jsonl-red\",\"image\":\"images/red/square.png\",\"caption\":\"red\"}\n");
    Path index = dir.resolve("index");
    JsonNode s =
        index(
            images.toString(),
            csv.toString(),
            jsonl.toString(),
            "--index",
            index.toString(),
            "--model",
            bundle.toString());
    assertEquals(5, s.get("added").asLong(), s.toString());
    assertEquals(0, s.get("rejected").asLong(), s.toString());
  }

  @Test
  void secondWriterIsToldTheIndexIsLockedAndLeavesTheRunningReportAlone() throws Exception {
    Path images = folderOfShapes();
    Path index = dir.resolve("index");
    index(images.toString(), "--index", index.toString(), "--model", bundle.toString());
    Path report = index.resolve("mmsearch-errors.jsonl");
    Files.writeString(report, "{\"item\":\"the running writer's report\"}\n");

    Cli second;
    try (Directory d = FSDirectory.open(index);
        Lock running = d.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
      second =
          Cli.run(
              "index",
              "--no-progress",
              images.toString(),
              "--index",
              index.toString(),
              "--model",
              bundle.toString());
    }

    assertEquals(1, second.exitCode(), second.err());
    assertTrue(second.err().contains("the index is locked by another writer"), second.err());
    assertTrue(!second.err().contains("\tat "), "no stack trace: " + second.err());
    assertEquals(
        "{\"item\":\"the running writer's report\"}\n",
        Files.readString(report),
        "the refused run does not truncate the running run's error report");
  }
}
