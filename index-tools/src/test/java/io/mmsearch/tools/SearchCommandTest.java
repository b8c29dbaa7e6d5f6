package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.encoders.image.SpecialFiles;
import io.mmsearch.tools.search.SearchMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  static SampleIndex sample;

  @BeforeAll
  static void index() throws Exception {
    sample = SampleIndex.create(root);
  }

  private static JsonNode search(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--json"));
    all.addAll(List.of(args));
    Cli r = run(all.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    return JSON.readTree(r.out());
  }

  /** {@code search} over the sample index with its model, plus {@code args}. */
  private static Cli run(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "search", "--index", sample.index.toString(), "--model", sample.bundle.toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private static Set<String> ids(JsonNode results) {
    Set<String> ids = new HashSet<>();
    results.get("hits").forEach(h -> ids.add(h.get("id").asText()));
    return ids;
  }

  @Test
  void imageQueryFindsTheSameImageFirst() throws Exception {
    JsonNode r = search("--image", sample.images.resolve("blue-circle.png").toString(), "-k", "3");
    assertEquals("blue-circle", r.get("hits").get(0).get("id").asText());
    assertEquals(3, r.get("hits").size());
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aQueryImageThatIsNoImageFileIsRefusedSayingWhatItIs() throws Exception {
    Path pipe = SpecialFiles.namedPipe(root.resolve("query-pipe.png"));
    Path sparse = SpecialFiles.largerThanTheHeap(root.resolve("query-sparse.png"));
    for (Path bad : List.of(pipe, SpecialFiles.ZERO_DEVICE, sparse)) {
      Cli r = run("--image", bad.toString());
      assertEquals(2, r.exitCode(), r.err());
      assertTrue(r.err().contains(bad + ": "), r.err());
    }
  }

  @Test
  void likeIdExcludesTheDocumentItself() throws Exception {
    JsonNode r = search("--like", "red-square", "-k", "5");
    assertEquals(5, r.get("hits").size());
    assertFalse(ids(r).contains("red-square"));
  }

  @Test
  void keywordOnlySearchMatchesCaptions() throws Exception {
    JsonNode r = search("--keywords", "circle");
    assertEquals(Set.of("red-circle", "green-circle", "blue-circle"), ids(r));
  }

  @Test
  void filterRestrictsAVectorSearch() throws Exception {
    JsonNode r = search("red", "--filter", "class:shapes", "-k", "6");
    assertEquals(Set.of("red-square", "green-square", "blue-square"), ids(r));
  }

  @Test
  void classOptionRestrictsAndFacetsCountTheMatchedSet() throws Exception {
    JsonNode r = search("--keywords", "circle square", "--class", "nature");
    assertEquals(Set.of("green-circle", "blue-circle"), ids(r));
    JsonNode unfiltered = search("--keywords", "circle");
    Set<String> facetValues = new HashSet<>();
    unfiltered.get("facets").get("class").forEach(f -> facetValues.add(f.get("value").asText()));
    assertEquals(Set.of("fruit", "nature"), facetValues);
  }

  @Test
  void hybridExplainShowsBothComponents() throws Exception {
    JsonNode r = search("circle", "--hybrid", "rrf", "--explain");
    boolean sawBoth = false;
    for (JsonNode h : r.get("hits")) {
      JsonNode e = h.get("explain");
      sawBoth |= e.has("bm25") && e.has("knn");
    }
    assertTrue(sawBoth, r.toString());
  }

  /**
   * Without --mode the command line searches in SearchMode.DEFAULT, the mode of the HTTP API and
   * the web page too (ServeApiTest checks theirs): hybrid, so hits carry both parts.
   */
  @Test
  void theDefaultModeIsTheSharedDefault() throws Exception {
    assertEquals(SearchMode.HYBRID, SearchMode.DEFAULT);
    JsonNode byDefault = search("circle", "--explain");
    JsonNode named = search("circle", "--mode", "hybrid", "--explain");
    assertEquals(named.get("hits").toString(), byDefault.get("hits").toString());
    JsonNode vector = search("circle", "--mode", "vector", "--explain");
    for (JsonNode h : vector.get("hits")) {
      assertFalse(h.get("explain").has("bm25"), h.toString());
    }
  }

  @Test
  void parserSyntaxCombinesNearAndFilter() throws Exception {
    JsonNode r = search("-q", "near:\"green leaf\" +class:nature", "-k", "6");
    assertEquals(Set.of("green-circle", "blue-circle"), ids(r));
  }

  @Test
  void tableOutputListsHitsWithScores() {
    Cli r =
        Cli.run(
            "search",
            "--index",
            sample.index.toString(),
            "--model",
            sample.bundle.toString(),
            "--keywords",
            "apple");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("red-circle"), r.out());
    assertTrue(r.out().contains("red circle apple"), r.out());
  }

  @Test
  void invalidQueryIsAClearErrorNotAStackTrace() {
    Cli r =
        Cli.run(
            "search",
            "--index",
            sample.index.toString(),
            "--model",
            sample.bundle.toString(),
            "-q",
            "caption:(unclosed");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().startsWith("mmsearch search:"), r.err());
  }

  @Test
  void statsReportDocumentsClassesFingerprintAndSize() throws Exception {
    Cli r = Cli.run("stats", "--json", "--index", sample.index.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode s = JSON.readTree(r.out());
    assertEquals(6, s.get("documents").asLong());
    assertEquals(3, s.get("classes").get("shapes").asLong());
    assertEquals(2, s.get("classes").get("nature").asLong());
    assertEquals(1, s.get("classes").get("fruit").asLong());
    assertTrue(s.get("bytes_on_disk").asLong() > 0);
    assertEquals(64, s.get("fingerprint").asText().length());
    assertEquals(
        TinyBundles.EMBEDDING, s.get("vector_fields").get("image_vec").get("dimension").asInt());
  }
}
