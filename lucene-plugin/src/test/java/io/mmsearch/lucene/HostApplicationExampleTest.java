package io.mmsearch.lucene;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.encode.QueryEncoder;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.parser.MultimodalQueryParser;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.SearchResults;
import io.mmsearch.semantics.Fusion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * Compiles and runs the host-application example of {@code docs/lucene-plugin.md}, and checks that
 * the document shows exactly this code, so the example cannot rot.
 */
public class HostApplicationExampleTest extends LuceneTestCase {

  /**
   * The example. In a host application {@code encoder} is a {@code BundleQueryEncoder} over the
   * encoders module's text and image encoders; here it is a deterministic test double.
   */
  static List<List<String>> hostApplicationExample(
      Directory directory, QueryEncoder encoder, Map<String, byte[]> images) throws IOException {
    // tag::example[]
    ModelIdentity model = encoder.identity(); // bundle fingerprint + dimension

    // Index: one document per image; int8 HNSW, full-precision vectors kept for re-ranking.
    MultimodalIndexConfig config =
        MultimodalIndexConfig.builder(model)
            .imageVectorConfig(new VectorFieldConfig(VectorFormat.INT8, 16, 100))
            .build();
    try (MultimodalIndexWriter writer = MultimodalIndexWriter.open(directory, config)) {
      writer.upsert(
          ImageDocument.builder("car-1")
              .uri("file:///photos/car-1.jpg")
              .caption("a red sports car on a mountain road")
              .keywords(List.of("car", "red"))
              .className("Travel & Places")
              .imageVector(encoder.encodeImage(images.get("car-1")))
              .build());
      writer.upsert(
          ImageDocument.builder("boat-1")
              .caption("a blue boat in a harbour")
              .className("Travel & Places")
              .imageVector(encoder.encodeImage(images.get("boat-1")))
              .build());
      writer.upsert(
          ImageDocument.builder("cat-1")
              .caption("a red cat asleep on a car seat")
              .className("Animals")
              .imageVector(encoder.encodeImage(images.get("cat-1")))
              .build());
      writer.commit(); // the model identity goes into the commit user data
    }

    // Search: text embedded by the encoder + BM25 keywords, filtered inside the kNN search,
    // HNSW oversampled 3x and re-ranked exactly, fused with reciprocal rank fusion.
    List<List<String>> answers = new ArrayList<>();
    try (MultimodalSearcher searcher =
            MultimodalSearcher.builder().directory(directory, model).queryEncoder(encoder).build();
        Analyzer analyzer = ImageSchema.newAnalyzer()) {
      SearchRequest request =
          SearchRequest.builder()
              .text("a fast red vehicle")
              .keywords("red car")
              .classes("Travel & Places")
              .k(10)
              .oversample(3)
              .fusion(Fusion.rrf(60))
              .build();
      SearchResults results = searcher.search(request);
      answers.add(results.hits().stream().map(Hit::id).toList());

      // The same through the query syntax: near: becomes a text part of the request.
      SearchRequest parsed =
          new MultimodalQueryParser(analyzer)
              .parseRequest(
                  "caption:(red car) AND class:\"Travel & Places\" near:\"a fast red vehicle\"")
              .size(5)
              .build();
      answers.add(searcher.search(parsed).hits().stream().map(Hit::id).toList());
    }

    // Composing with the host's own queries: the request's kNN search with exact re-rank is a
    // Lucene Query, here wrapped in the host's BooleanQuery and run on the host's IndexSearcher.
    try (DirectoryReader reader = DirectoryReader.open(directory);
        MultimodalSearcher searcher =
            MultimodalSearcher.builder().model(model).queryEncoder(encoder).build()) {
      IndexSearcher hostSearcher = new IndexSearcher(reader);
      SearchRequest request = SearchRequest.builder().text("a fast red vehicle").k(10).build();
      Query exactKnn = searcher.vectorQuery(hostSearcher, request);
      Query hostQuery =
          new BooleanQuery.Builder()
              .add(exactKnn, BooleanClause.Occur.MUST)
              .add(new TermQuery(new Term("class", "Travel & Places")), BooleanClause.Occur.FILTER)
              .build();
      List<String> ids = new ArrayList<>();
      for (ScoreDoc hit : hostSearcher.search(hostQuery, 10).scoreDocs) {
        ids.add(hostSearcher.storedFields().document(hit.doc).get(ImageSchema.ID));
      }
      answers.add(ids);
    }
    // end::example[]
    return answers;
  }

  public void testTheExampleRunsAndFindsTheRedCarWithinTheFilter() throws IOException {
    Map<String, byte[]> images =
        Map.of(
            "car-1", bytes("car-1 pixels"),
            "boat-1", bytes("boat-1 pixels"),
            "cat-1", bytes("cat-1 pixels"));
    ModelIdentity model = new ModelIdentity("sha256:example", 32);
    try (Directory dir = newDirectory()) {
      List<List<String>> answers =
          hostApplicationExample(dir, TestEncoders.deterministic(model, Map.of()), images);
      for (List<String> ids : answers.subList(0, 2)) {
        assertEquals("the only filtered document matching the keywords leads", "car-1", ids.get(0));
        assertFalse("class filter excludes the cat", ids.contains("cat-1"));
        assertTrue(ids.contains("boat-1"));
      }
      assertEquals(
          "the host's filter keeps both travel images of the re-ranked kNN result",
          java.util.Set.of("car-1", "boat-1"),
          java.util.Set.copyOf(answers.get(2)));
    }
  }

  public void testTheDocumentShowsExactlyThisExample() throws IOException {
    Path source = Path.of("src/test/java/io/mmsearch/lucene/HostApplicationExampleTest.java");
    Path doc = Path.of("../docs/lucene-plugin.md");
    assumeTrue("runs from the module directory", Files.exists(source));
    assertTrue(doc.toAbsolutePath() + " is missing", Files.exists(doc));
    String code = Files.readString(source, StandardCharsets.UTF_8);
    String example =
        code.substring(
            code.indexOf("// tag::example[]") + "// tag::example[]".length(),
            code.indexOf("    // end::example[]"));
    String markdown = Files.readString(doc, StandardCharsets.UTF_8);
    assertTrue(
        "docs/lucene-plugin.md must contain the example of " + source + " verbatim (dedented)",
        normalise(markdown).contains(normalise(example)));
  }

  private static String normalise(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n")) {
      String stripped = line.strip();
      if (!stripped.isEmpty()) {
        sb.append(stripped).append('\n');
      }
    }
    return sb.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
