package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmsearch.encoders.TinyBundles;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caption the text encoder cannot encode (no words) leaves its image indexed without a caption
 * vector: counted in the summary and reported, never silently.
 */
class IndexCaptionVectorTest {
  @TempDir Path root;

  @Test
  void aCaptionWithoutWordsIsCountedAndReportedAndItsImageStillIndexed() throws Exception {
    Path bundle = root.resolve("bundle");
    TinyBundles.write(bundle, 3);
    Path m = root.resolve("manifest");
    TestImages.write(m.resolve("a.png"), BadInputCorpus.png(Color.RED));
    TestImages.write(m.resolve("b.png"), BadInputCorpus.png(Color.BLUE));
    Files.writeString(
        m.resolve("manifest.jsonl"),
        "{\"id\":\"words\",\"image\":\"a.png\",\"caption\":\"a red square\"}\n"
            + "{\"id\":\"dots\",\"image\":\"b.png\",\"caption\":\"... !!!\"}\n");
    Path index = root.resolve("index");
    Path errors = root.resolve("errors.jsonl");

    JsonNode summary =
        IndexCommandTest.index(
            m.resolve("manifest.jsonl").toString(),
            "--index",
            index.toString(),
            "--model",
            bundle.toString(),
            "--errors",
            errors.toString());

    assertEquals(2, summary.get("added").asLong(), summary.toString());
    assertEquals(0, summary.get("rejected").asLong(), summary.toString());
    assertEquals(1, summary.get("without_caption_vector").asLong(), summary.toString());
    ErrorReportLines report = ErrorReportLines.read(errors);
    assertEquals(1, report.size(), report.toString());
    JsonNode line = report.only("(dots)");
    assertEquals("encode", line.get("stage").asText());
    assertEquals("caption vector", line.get("indexed_without").asText());
    assertTrue(
        line.get("reason").asText().contains("indexed without a caption vector"), line.toString());
    Map<String, Boolean> hasCaptionVector = captionVectors(index);
    assertEquals(Map.of("words", true, "dots", false), hasCaptionVector);
  }

  /** Id -> whether the document has a caption vector. */
  private static Map<String, Boolean> captionVectors(Path index) throws Exception {
    Map<String, Boolean> out = new HashMap<>();
    try (var d = FSDirectory.open(index);
        var r = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : r.leaves()) {
        LeafReader reader = leaf.reader();
        Set<Integer> withVector = new HashSet<>();
        FloatVectorValues vectors = reader.getFloatVectorValues("caption_vec");
        if (vectors != null) {
          var it = vectors.iterator();
          for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
            withVector.add(doc);
          }
        }
        for (int doc = 0; doc < reader.maxDoc(); doc++) {
          out.put(reader.storedFields().document(doc).get("id"), withVector.contains(doc));
        }
      }
    }
    return out;
  }
}
