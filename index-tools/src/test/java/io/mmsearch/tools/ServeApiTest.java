package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.MmsearchVersion;
import io.mmsearch.tools.search.SearchMode;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.SearchServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long UPLOAD_LIMIT = 64 * 1024;

  @TempDir static java.nio.file.Path root;
  static SampleIndex sample;
  static SearchSession session;
  static SearchServer server;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    sample = SampleIndex.create(root);
    session = SearchSession.open(sample.index, sample.bundle);
    server =
        SearchServer.builder()
            .session(session)
            .index(sample.index)
            .port(0)
            .maxUploadBytes(UPLOAD_LIMIT)
            .build();
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    session.close();
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return JSON.readTree(r.body());
  }

  private static Set<String> ids(JsonNode body) {
    Set<String> ids = new HashSet<>();
    body.get("hits").forEach(h -> ids.add(h.get("id").asText()));
    return ids;
  }

  @Test
  void servesTheBoundAddressOnLoopbackByDefault() {
    assertEquals("127.0.0.1", server.uri().getHost());
  }

  @Test
  void textSearchReturnsHitsWithImageLinksAndFacets() throws Exception {
    HttpResponse<byte[]> r = get("/api/search?q=circle&mode=keyword");
    assertEquals(200, r.statusCode());
    JsonNode body = json(r);
    assertEquals(Set.of("red-circle", "green-circle", "blue-circle"), ids(body));
    assertEquals(
        "/api/image/red-circle",
        body.get("hits").get(0).get("image").asText().replaceAll("(green|blue)", "red"));
    assertTrue(body.get("facets").get("class").size() > 0);
    assertTrue(!body.get("hits").get(0).has("uri"), "local paths are not exposed");
  }

  @Test
  void classParameterFilters() throws Exception {
    JsonNode body = json(get("/api/search?q=circle&mode=keyword&class=nature"));
    assertEquals(Set.of("green-circle", "blue-circle"), ids(body));
  }

  @Test
  void aClassFilterKeepsEveryClassCountedAsIfUnfilteredInTheSameResponse() throws Exception {
    JsonNode filtered = json(get("/api/search?q=circle&mode=keyword&class=nature"));
    JsonNode unfiltered = json(get("/api/search?q=circle&mode=keyword"));
    assertEquals(unfiltered.get("facets").get("class"), filtered.get("facets").get("class"));
    assertEquals(2, filtered.get("total").asInt());
  }

  @Test
  void likeSearchExcludesTheDocument() throws Exception {
    JsonNode body = json(get("/api/search?like=red-square&size=3"));
    assertEquals(3, body.get("hits").size());
    assertTrue(!ids(body).contains("red-square"));
  }

  /** {@code k} sets how deep each list is read, {@code size} the page: they are separate. */
  @Test
  void kAndPageSizeAreSeparate() throws Exception {
    JsonNode deep = json(get("/api/search?q=circle&k=6&size=2&explain=true"));
    assertEquals(2, deep.get("hits").size());
    JsonNode page2 = json(get("/api/search?q=circle&k=6&size=2&from=2&explain=true"));
    JsonNode all = json(get("/api/search?q=circle&k=6&size=6&explain=true"));
    assertEquals(all.get("hits").get(2).get("id"), page2.get("hits").get(0).get("id"));
    assertEquals(all.get("hits").get(3).get("id"), page2.get("hits").get(1).get("id"));
  }

  /** A window past the server's cap (deep paging included) is refused before anything runs. */
  @Test
  void aWindowPastTheCapIs400NamingTheLimit() throws Exception {
    HttpResponse<byte[]> r = get("/api/search?q=circle&size=10&from=995");
    assertEquals(400, r.statusCode());
    String error = JSON.readTree(r.body()).get("error").asText();
    assertTrue(error.contains("1005") && error.contains("1000"), error);
    assertEquals(200, get("/api/search?q=circle&size=10&from=990").statusCode());
  }

  /** Without {@code mode} the API searches in SearchMode.DEFAULT; the page starts on it too. */
  @Test
  void theDefaultModeIsTheSharedDefault() throws Exception {
    String mode = SearchMode.DEFAULT.name().toLowerCase(java.util.Locale.ROOT);
    assertEquals(
        json(get("/api/search?q=red%20circle&mode=" + mode)).get("hits"),
        json(get("/api/search?q=red%20circle")).get("hits"));
    String page = new String(get("/").body(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(page.contains("data-default=\"" + mode + "\""), page);
  }

  @Test
  void explainAddsComponentScores() throws Exception {
    JsonNode body = json(get("/api/search?q=circle&mode=hybrid&explain=true"));
    assertTrue(body.get("hits").get(0).has("explain"));
  }

  @Test
  void uploadedImageFindsItselfFirst() throws Exception {
    byte[] png = Files.readAllBytes(sample.images.resolve("green-square.png"));
    HttpResponse<byte[]> r = post("/api/search?size=2", png);
    assertEquals(200, r.statusCode(), new String(r.body()));
    assertEquals("green-square", json(r).get("hits").get(0).get("id").asText());
  }

  @Test
  void uploadOverTheLimitIs413() throws Exception {
    HttpResponse<byte[]> r = post("/api/search", new byte[(int) UPLOAD_LIMIT + 1]);
    assertEquals(413, r.statusCode());
    assertTrue(json(r).get("error").asText().contains("limit"));
  }

  @Test
  void uploadThatIsNotAnImageIs415() throws Exception {
    HttpResponse<byte[]> r = post("/api/search", "just some text, named nothing".getBytes());
    assertEquals(415, r.statusCode());
    assertTrue(json(r).get("error").asText().contains("not an image"));
  }

  @Test
  void truncatedImageUploadIs415() throws Exception {
    byte[] png = Files.readAllBytes(sample.images.resolve("green-square.png"));
    HttpResponse<byte[]> r = post("/api/search", java.util.Arrays.copyOf(png, 40));
    assertEquals(415, r.statusCode(), new String(r.body()));
  }

  @Test
  void imageOfAnIndexedDocumentIsServed() throws Exception {
    HttpResponse<byte[]> r = get("/api/image/blue-circle");
    assertEquals(200, r.statusCode());
    assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
    assertArrayEquals(Files.readAllBytes(sample.images.resolve("blue-circle.png")), r.body());
  }

  @Test
  void fileThatIsNotAnIndexedImageIs404() throws Exception {
    assertEquals(404, get("/api/image/no-such-id").statusCode());
    assertEquals(404, get("/api/image/manifest.jsonl").statusCode());
    assertEquals(404, get("/api/image/..%2F..%2F..%2Fetc%2Fpasswd").statusCode());
    assertEquals(404, get("/api/image/../../etc/passwd").statusCode());
    assertEquals(404, get("/etc/passwd").statusCode());
  }

  @Test
  void badParametersAre400WithAJsonReason() throws Exception {
    HttpResponse<byte[]> r = get("/api/search?q=x&k=abc");
    assertEquals(400, r.statusCode());
    assertTrue(json(r).get("error").asText().contains("k must be an integer"));
    assertEquals(400, get("/api/search?q=x&mode=psychic").statusCode());
    assertEquals(400, get("/api/search").statusCode(), "nothing to search for");
    assertEquals(400, get("/api/search?query=caption:(unclosed").statusCode());
  }

  @Test
  void wrongMethodIs405AndUnknownEndpointIs404() throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/api/search?q=x")).DELETE().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, r.statusCode());
    assertEquals(404, json(get("/api/nothing")).get("status").asInt());
  }

  @Test
  void statsAndPageAreServed() throws Exception {
    JsonNode stats = json(get("/api/stats"));
    assertEquals(6, stats.get("documents").asInt());
    assertEquals(MmsearchVersion.current(), stats.get("version").asText());
    HttpResponse<byte[]> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(new String(page.body()).contains("id=\"q\""));
    assertEquals(200, get("/app.js").statusCode());
  }

  private static String error(HttpResponse<byte[]> r) throws Exception {
    assertEquals(400, r.statusCode(), new String(r.body()));
    return json(r).get("error").asText();
  }

  @Test
  void targetCaptionSearchesCaptionVectorsAndShowsTheTargetScores() throws Exception {
    JsonNode body = json(get("/api/search?q=red+circle+apple&mode=vector&target=caption"));
    JsonNode first = body.get("hits").get(0);
    assertEquals("red-circle", first.get("id").asText());
    assertEquals(1.0, first.get("score").asDouble(), 1e-5, body.toString());
    JsonNode both =
        json(get("/api/search?q=red+circle+apple&mode=vector&target=both&explain=true"));
    for (JsonNode h : both.get("hits")) {
      assertTrue(h.get("explain").get("targets").has("image_vec"), h.toString());
      assertTrue(h.get("explain").get("targets").has("caption_vec"), h.toString());
    }
  }

  @Test
  void cutOffsDiversityAndFeedbackAreRequestParameters() throws Exception {
    JsonNode cut =
        json(get("/api/search?q=red+circle+apple&mode=vector&target=caption&minScore=0.9999"));
    assertEquals(Set.of("red-circle"), ids(cut));
    JsonNode collapsed = json(get("/api/search?like=red-square&k=5&collapseCosine=-1"));
    assertEquals(1, collapsed.get("hits").size(), collapsed.toString());
    assertEquals(4, collapsed.get("hits").get(0).get("duplicates").size(), collapsed.toString());
    JsonNode feedback =
        json(
            get("/api/search?like=red-square&unlike=blue-square%5E0.5&likeText=apple&k=6&mmr=0.5"));
    Set<String> hits = ids(feedback);
    assertEquals(4, hits.size(), feedback.toString());
    assertTrue(!hits.contains("red-square") && !hits.contains("blue-square"), hits.toString());
  }

  @Test
  void badFeatureParametersAre400NamingTheParameter() throws Exception {
    assertTrue(error(get("/api/search?q=x&target=colour")).contains("target 'colour'"));
    assertTrue(error(get("/api/search?q=x&target=image:-1")).contains("target"));
    assertTrue(error(get("/api/search?q=x&targetJoin=max")).contains("targetJoin"));
    assertTrue(error(get("/api/search?q=x&mode=vector&minScore=7")).contains("minScore"));
    assertTrue(error(get("/api/search?q=x&mmr=lots")).contains("mmr"));
    assertTrue(error(get("/api/search?like=red-square%5E-1")).contains("like"));
    assertTrue(error(get("/api/search?unlike=red-square")).contains("negative examples alone"));
    assertTrue(error(get("/api/search?like=nobody")).contains("nobody"));
    assertTrue(
        error(get("/api/search?likeText=apple&unlikeText=apple%5E1")).contains("zero"),
        "weights that cancel out");
  }

  @Test
  void statsShowTheQueryCacheHitsAndMisses() throws Exception {
    JsonNode before = json(get("/api/stats")).get("query_cache");
    String query = "/api/search?q=green+square+sky&mode=vector";
    assertEquals(200, get(query).statusCode());
    assertEquals(200, get(query).statusCode());
    JsonNode after = json(get("/api/stats")).get("query_cache");
    assertTrue(after.get("misses").asLong() >= before.get("misses").asLong() + 1, after.toString());
    assertTrue(after.get("hits").asLong() >= before.get("hits").asLong() + 1, after.toString());
    assertTrue(after.get("max_entries").asLong() > 0, after.toString());
    Cli table = Cli.run("stats", "--server", server.uri().toString());
    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.out().contains("query cache  "), table.out());
    Cli json = Cli.run("stats", "--json", "--server", server.uri().toString());
    assertEquals(0, json.exitCode(), json.err());
    assertTrue(JSON.readTree(json.out()).get("query_cache").get("hits").asLong() >= 1, json.out());
  }

  @Test
  void recallIsARequestParameterAndEverySearchSaysWhatItFetched() throws Exception {
    JsonNode asked = json(get("/api/search?q=red+circle&mode=vector&k=2&recall=0.9")).get("recall");
    assertEquals(0.9, asked.get("target").asDouble(), asked.toString());
    assertTrue(asked.get("candidates").asInt() >= 2, asked.toString());
    JsonNode fixed =
        json(get("/api/search?q=red+circle&mode=vector&k=2&size=2&oversample=3&recall=0.5"))
            .get("recall");
    assertEquals(6, fixed.get("candidates").asInt(), fixed.toString());
    assertTrue(fixed.get("target").isNull(), fixed.toString());
  }

  @Test
  void aRecallOutsideZeroToOneIs400NamingIt() throws Exception {
    for (String bad : new String[] {"0", "1.5", "NaN", "x"}) {
      String message = error(get("/api/search?q=x&recall=" + bad));
      assertTrue(message.startsWith("recall must be"), bad + ": " + message);
    }
  }

  @Test
  void statsShowTheCalibrationTheServerSearchesWith() throws Exception {
    JsonNode recall = json(get("/api/stats")).get("recall").get("image_vec");
    assertTrue(recall.get("current").asBoolean(), recall.toString());
    assertTrue(recall.get("curves").size() > 0, recall.toString());
  }
}
