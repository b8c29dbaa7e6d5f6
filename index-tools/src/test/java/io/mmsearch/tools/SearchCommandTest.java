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

  /** The first hit's id and its score in each target ({@code explain.targets}). */
  private static JsonNode firstHit(JsonNode results) {
    assertTrue(results.get("hits").size() > 0, results.toString());
    return results.get("hits").get(0);
  }

  @Test
  void targetCaptionMatchesTheQueryTextAgainstCaptionVectors() throws Exception {
    // The tiny model's text vector of a caption's own words is that caption's vector.
    JsonNode r = search("red circle apple", "--mode", "vector", "--target", "caption");
    JsonNode first = firstHit(r);
    assertEquals("red-circle", first.get("id").asText());
    assertEquals(1.0, first.get("score").asDouble(), 1e-5, "similarity (1 + cos) / 2: " + r);
    JsonNode image = search("red circle apple", "--mode", "vector", "--target", "image");
    assertTrue(image.get("hits").get(0).get("score").asDouble() < 1.0 - 1e-3, image.toString());
  }

  @Test
  void targetBothScoresEveryHitInBothFieldsAndJoinsByTheirWeightedMean() throws Exception {
    JsonNode r =
        search(
            "red circle apple",
            "--mode",
            "vector",
            "--target",
            "image:1,caption:3",
            "--explain",
            "-k",
            "6");
    assertEquals(6, r.get("hits").size());
    for (JsonNode h : r.get("hits")) {
      JsonNode e = h.get("explain");
      double image = e.get("targets").get("image_vec").asDouble();
      double caption = e.get("targets").get("caption_vec").asDouble();
      assertEquals((image + 3 * caption) / 4, e.get("vector").asDouble(), 1e-5, h.toString());
    }
    assertEquals("red-circle", firstHit(r).get("id").asText());
  }

  @Test
  void aMinimumScoreKeepsOnlyHitsAtOrAboveIt() throws Exception {
    JsonNode all = search("red circle apple", "--mode", "vector", "--target", "caption", "-k", "6");
    double second = all.get("hits").get(1).get("score").asDouble();
    JsonNode cut =
        search(
            "red circle apple",
            "--mode",
            "vector",
            "--target",
            "caption",
            "-k",
            "6",
            "--min-score",
            Double.toString((1.0 + second) / 2));
    assertEquals(1, cut.get("hits").size(), cut.toString());
    assertEquals(1, cut.get("total").asLong(), cut.toString());
    assertEquals("red-circle", firstHit(cut).get("id").asText());
  }

  @Test
  void collapseAtTheLowestCosineFoldsEveryHitIntoTheFirstAndListsThem() throws Exception {
    JsonNode r = search("--like", "red-square", "-k", "5", "--collapse-cosine", "-1");
    assertEquals(1, r.get("hits").size(), r.toString());
    Set<String> folded = new HashSet<>();
    firstHit(r).get("duplicates").forEach(d -> folded.add(d.asText()));
    assertEquals(4, folded.size(), r.toString());
    assertFalse(folded.contains("red-square"), "the example stays out of the results");
  }

  @Test
  void mmrAtLambdaOneKeepsTheRanking() throws Exception {
    JsonNode plain = search("--like", "red-square", "-k", "5");
    JsonNode mmr = search("--like", "red-square", "-k", "5", "--mmr", "1");
    assertEquals(idsInOrder(plain), idsInOrder(mmr));
  }

  @Test
  void examplesOnEitherSideAreLeftOutOfTheResults() throws Exception {
    JsonNode plain = search("--like", "red-square", "-k", "5", "--mode", "vector");
    String nearest = firstHit(plain).get("id").asText();
    JsonNode unliked =
        search("--like", "red-square", "--unlike", nearest + "^1", "-k", "5", "--mode", "vector");
    List<String> order = idsInOrder(unliked);
    assertEquals(4, order.size(), order.toString());
    assertFalse(order.contains(nearest), "the negative example is left out: " + order);
    assertFalse(order.contains("red-square"), "the positive example is left out: " + order);
  }

  @Test
  void badFeatureInputIsExitTwoNamingTheOption() {
    String[][] cases = {
      {"--target", "colour"},
      {"--target", "image:-1"},
      {"--target-join", "max"},
      {"--min-score", "1.5", "--mode", "vector"},
      {"--min-score", "lots"},
      {"--autocut", "-1"},
      {"--mmr", "2"},
      {"--collapse-cosine", "3"},
      {"--like", "red-square^-2"},
      {"--unlike", "red-square"},
      {"--like", "no-such-doc"},
      {"--like-image", "no-such-file.png"},
    };
    String[] named = {
      "--target",
      "--target",
      "--target-join",
      "minScore",
      "--min-score",
      "autocut",
      "MMR",
      "collapse cosine",
      "--like",
      "negative examples alone",
      "no-such-doc",
      "--like-image"
    };
    for (int i = 0; i < cases.length; i++) {
      Cli r = run(cases[i]);
      assertEquals(2, r.exitCode(), String.join(" ", cases[i]) + ": " + r.err());
      assertTrue(r.err().startsWith("mmsearch search: "), r.err());
      assertTrue(
          r.err().contains(named[i]),
          String.join(" ", cases[i]) + " names " + named[i] + ": " + r.err());
    }
  }

  private static List<String> idsInOrder(JsonNode results) {
    List<String> ids = new ArrayList<>();
    results.get("hits").forEach(h -> ids.add(h.get("id").asText()));
    return ids;
  }

  @Test
  void aVectorSearchSaysHowManyCandidatesItFetchedForTheTargetAndTheRecallToExpect()
      throws Exception {
    JsonNode recall = search("red circle", "--mode", "vector", "-k", "3").get("recall");
    assertEquals(0.98, recall.get("target").asDouble(), recall.toString());
    assertTrue(recall.get("candidates").asInt() >= 3, recall.toString());
    assertTrue(recall.has("estimated") && recall.has("source"), recall.toString());
    JsonNode asked = search("red circle", "--mode", "vector", "-k", "3", "--recall", "0.9");
    assertEquals(0.9, asked.get("recall").get("target").asDouble(), asked.toString());
  }

  @Test
  void anOversampleOverridesTheTargetRecall() throws Exception {
    JsonNode recall =
        search("red circle", "--mode", "vector", "-k", "2", "--oversample", "3", "--recall", "0.5")
            .get("recall");
    assertEquals(6, recall.get("candidates").asInt(), recall.toString());
    assertTrue(recall.get("target").isNull(), recall.toString());
  }

  @Test
  void aTargetRecallOutsideZeroToOneIsExitTwoNamingTheOption() {
    for (String bad : new String[] {"0", "1.5", "NaN", "-1"}) {
      Cli r = run("red circle", "--recall", bad);
      assertEquals(2, r.exitCode(), bad + ": " + r.err());
      assertTrue(r.err().contains("--recall must be in (0, 1]"), r.err());
    }
  }

  @Test
  void theIndexCommandRecordsTheRecallCalibrationAndStatsPrintIt() throws Exception {
    Cli r = Cli.run("stats", "--json", "--index", sample.index.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode calibration = JSON.readTree(r.out()).get("recall").get("image_vec");
    assertTrue(calibration.get("current").asBoolean(), calibration.toString());
    assertEquals(6, calibration.get("documents").asInt(), calibration.toString());
    assertTrue(calibration.get("candidates").has("image"), calibration.toString());
    Cli table = Cli.run("stats", "--index", sample.index.toString());
    assertTrue(table.out().contains("candidates per target recall@10"), table.out());
  }

  /**
   * Without --target, a query with text matches image and caption vectors (RequestOptions' measured
   * default), a query without text the image vectors only.
   */
  @Test
  void theDefaultTargetDependsOnWhetherTheQueryHasText() throws Exception {
    JsonNode text = search("red circle apple", "--mode", "vector", "--explain");
    JsonNode targets = firstHit(text).get("explain").get("targets");
    assertTrue(targets.has("image_vec") && targets.has("caption_vec"), text.toString());
    JsonNode image =
        search(
            "--image", sample.images.resolve("blue-circle.png").toString(), "--explain", "-k", "3");
    assertFalse(firstHit(image).get("explain").has("targets"), image.toString());
    assertEquals(
        search(
                "--image",
                sample.images.resolve("blue-circle.png").toString(),
                "--target",
                "image",
                "-k",
                "3")
            .get("hits")
            .toString(),
        search("--image", sample.images.resolve("blue-circle.png").toString(), "-k", "3")
            .get("hits")
            .toString());
  }
}
