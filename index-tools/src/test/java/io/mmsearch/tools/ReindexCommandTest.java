package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.index.StoredImageFields;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.manifest.ImageFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mmsearch reindex}: an index re-embedded with another model from what it stores, without
 * its manifest; resumable; a document whose image is gone is refused, reported and listed, never
 * dropped silently.
 */
class ReindexCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  SampleIndex sample;
  Path newBundle;
  Path newIndex;

  @BeforeEach
  void indexTheSampleWithTheFirstModel() throws Exception {
    sample = SampleIndex.create(dir.resolve("sample"));
    newBundle = dir.resolve("new-bundle");
    TinyBundles.write(newBundle, 11, TinyBundles.WORDS);
    newIndex = dir.resolve("new-index");
  }

  private Cli reindex(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "reindex",
                "--no-progress",
                "--json",
                "--index",
                sample.index.toString(),
                "--model",
                newBundle.toString(),
                "--out",
                newIndex.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void everyDocumentIsReembeddedWithTheNewModelAndKeepsItsStoredFields() throws Exception {
    Cli r = reindex();

    assertEquals(0, r.exitCode(), r.err());
    JsonNode summary = JSON.readTree(r.out());
    assertEquals(6, summary.get("added").asInt(), r.out());
    assertEquals(0, summary.get("refused").asInt(), r.out());
    assertEquals(6, summary.get("documents").asInt(), r.out());
    assertFalse(Files.exists(newIndex.resolve("mmsearch-refused.jsonl")));

    Map<String, ImageFields> before = storedFields(sample.index);
    Map<String, ImageFields> after = storedFields(newIndex);
    assertEquals(before, after, "the same documents with the same text fields");
    try (DualEncoder encoder = Encoders.open(EncoderCriteria.builder().bundle(newBundle).build());
        Directory d = FSDirectory.open(newIndex);
        DirectoryReader reader = DirectoryReader.open(d)) {
      assertEquals(
          new ModelIdentity(encoder.fingerprint(), encoder.dimension()),
          ModelIdentity.fromEntries(
                  SegmentInfos.readLatestCommit(d).getUserData(), "commit user data")
              .orElseThrow(),
          "the new index is the new model's");
      Path image = sample.images.resolve("red-circle.png");
      assertArrayEquals(
          encoder.image().encode(Files.readAllBytes(image), "red-circle"),
          vector(reader, "red-circle", ImageSchema.IMAGE_VECTOR).orElseThrow(),
          1e-5f,
          "the image vector is the new model's encoding of the stored uri's file");
      assertArrayEquals(
          encoder.text().encode("red circle apple"),
          vector(reader, "red-circle", ImageSchema.CAPTION_VECTOR).orElseThrow(),
          1e-5f,
          "the caption vector is re-embedded too");
    }
    Cli search =
        Cli.run(
            "search",
            "--json",
            "--index",
            newIndex.toString(),
            "--model",
            newBundle.toString(),
            "red circle");
    assertEquals(0, search.exitCode(), search.err());
  }

  @Test
  void aSecondRunSkipsWhatIsDoneAndAddsWhatTheFirstDidNotWrite() throws Exception {
    assertEquals(0, reindex().exitCode());
    try (Directory d = FSDirectory.open(newIndex);
        MultimodalIndexWriter writer =
            MultimodalIndexWriter.open(
                d, MultimodalIndexConfig.builder(identity(newBundle)).build())) {
      writer.delete("green-square");
      writer.delete("blue-circle");
      writer.commit(); // as if the first run had been killed before writing these two
    }

    Cli again = reindex();

    assertEquals(0, again.exitCode(), again.err());
    JsonNode summary = JSON.readTree(again.out());
    assertEquals(2, summary.get("added").asInt(), again.out());
    assertEquals(4, summary.get("unchanged").asInt(), again.out());
    assertEquals(6, summary.get("documents").asInt(), again.out());
  }

  @Test
  void aDocumentWhoseImageIsGoneIsRefusedReportedAndListedAsAManifest() throws Exception {
    Path gone = sample.images.resolve("green-circle.png");
    byte[] bytes = Files.readAllBytes(gone);
    Files.delete(gone);

    Cli r = reindex();

    assertEquals(ReindexCommand.SOME_REFUSED, r.exitCode(), r.err());
    JsonNode summary = JSON.readTree(r.out());
    assertEquals(1, summary.get("refused").asInt(), r.out());
    assertEquals(5, summary.get("documents").asInt(), r.out());
    ErrorReportLines.read(newIndex.resolve("mmsearch-errors.jsonl"))
        .assertReported("(green-circle)", "read", "no such file");
    Path refused = newIndex.resolve("mmsearch-refused.jsonl");
    List<String> lines = Files.readAllLines(refused);
    assertEquals(1, lines.size(), lines.toString());
    JsonNode line = JSON.readTree(lines.get(0));
    assertEquals("green-circle", line.get("id").asText());
    assertEquals("green circle leaf", line.get("caption").asText());
    assertEquals("nature", line.get("class").asText());
    assertEquals(gone.toUri().toString(), line.get("image").asText());

    // The list is a manifest: once the image is back, index adds the document with its fields.
    Files.write(gone, bytes);
    Cli index =
        Cli.run(
            "index",
            "--no-progress",
            refused.toString(),
            "--index",
            newIndex.toString(),
            "--model",
            newBundle.toString(),
            "--errors",
            dir.resolve("index-errors.jsonl").toString());
    assertEquals(0, index.exitCode(), index.err());
    assertEquals(storedFields(sample.index), storedFields(newIndex));
  }

  @Test
  void aDocumentStoredWithoutAnImageLocationIsRefusedNamingWhy() throws Exception {
    ModelIdentity oldModel = identity(sample.bundle);
    try (Directory d = FSDirectory.open(sample.index);
        MultimodalIndexWriter writer =
            MultimodalIndexWriter.open(d, MultimodalIndexConfig.builder(oldModel).build())) {
      float[] v = new float[oldModel.dimension()];
      v[0] = 1;
      writer.upsert(
          io.mmsearch.lucene.schema.ImageDocument.builder("no-uri")
              .caption("a document a library host indexed without a uri")
              .imageVector(v)
              .build());
      writer.commit();
    }

    Cli r = reindex();

    assertEquals(ReindexCommand.SOME_REFUSED, r.exitCode(), r.err());
    ErrorReportLines.read(newIndex.resolve("mmsearch-errors.jsonl"))
        .assertReported("(no-uri)", "read", "stores no image location (uri)");
    String refused = Files.readString(newIndex.resolve("mmsearch-refused.jsonl"));
    assertTrue(refused.contains("\"id\":\"no-uri\""), refused);
    assertEquals(6, JSON.readTree(r.out()).get("documents").asInt());
  }

  @Test
  void theNewIndexMustBeAnotherFolder() {
    Cli r =
        Cli.run(
            "reindex",
            "--index",
            sample.index.toString(),
            "--model",
            newBundle.toString(),
            "--out",
            sample.index.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--out must be a new folder"), r.err());
  }

  @Test
  void aMissingOldIndexOrANewIndexOfAnotherModelIsRefused() throws Exception {
    Cli none =
        Cli.run(
            "reindex",
            "--index",
            dir.resolve("nothing").toString(),
            "--model",
            newBundle.toString(),
            "--out",
            newIndex.toString());
    assertEquals(1, none.exitCode());
    assertTrue(none.err().contains("no index in"), none.err());

    Cli intoTheOld =
        Cli.run(
            "reindex",
            "--no-progress",
            "--index",
            sample.index.toString(),
            "--model",
            newBundle.toString(),
            "--out",
            copyOf(sample.index).toString());
    assertEquals(1, intoTheOld.exitCode(), intoTheOld.err());
    assertTrue(intoTheOld.err().contains(ModelBundle.open(sample.bundle).fingerprint()));
    assertTrue(intoTheOld.err().contains(ModelBundle.open(newBundle).fingerprint()));
  }

  private static ModelIdentity identity(Path bundle) throws IOException {
    ModelBundle b = ModelBundle.open(bundle);
    return new ModelIdentity(b.fingerprint(), b.dimension());
  }

  private Path copyOf(Path index) throws IOException {
    Path copy = dir.resolve("copy");
    Files.createDirectories(copy);
    try (var files = Files.list(index)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  static Map<String, ImageFields> storedFields(Path index) throws IOException {
    Map<String, ImageFields> byId = new HashMap<>();
    try (Directory d = FSDirectory.open(index);
        DirectoryReader reader = DirectoryReader.open(d)) {
      StoredImageFields.forEachLive(reader, f -> byId.put(f.id(), f));
    }
    return byId;
  }

  private static Optional<float[]> vector(DirectoryReader reader, String id, String field)
      throws IOException {
    TopDocs hit = new IndexSearcher(reader).search(new TermQuery(new Term("id", id)), 1);
    assertEquals(1, hit.scoreDocs.length, id);
    int doc = hit.scoreDocs[0].doc;
    for (LeafReaderContext leaf : reader.leaves()) {
      if (doc >= leaf.docBase && doc < leaf.docBase + leaf.reader().maxDoc()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
        assertNotNull(values, field);
        KnnVectorValues.DocIndexIterator it = values.iterator();
        if (it.advance(doc - leaf.docBase) == doc - leaf.docBase) {
          return Optional.of(values.vectorValue(it.index()).clone());
        }
      }
    }
    return Optional.empty();
  }
}
