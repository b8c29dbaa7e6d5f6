package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.QueryCostLimits;
import io.mmsearch.tools.serve.SearchServer;
import io.mmsearch.tools.serve.ServerLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code serve} treats hostile and unlucky clients: foreign Host headers, framing, methods, the
 * {@code uri} field, costly queries, searches past their time budget, a full queue, oversized and
 * malformed requests, and stopping while a request is in flight. Each answer is a clear status with
 * a JSON reason.
 */
class ServeHardeningTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static java.nio.file.Path root;
  static SampleIndex sample;
  static SearchSession session;
  static SearchServer server;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    sample = SampleIndex.create(root);
    session = SearchSession.open(sample.index, sample.bundle);
    server = serverWith(b -> b);
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    session.close();
  }

  private static SearchServer serverWith(UnaryOperator<SearchServer.Builder> options)
      throws IOException {
    SearchServer s =
        options.apply(SearchServer.builder().session(session).index(sample.index).port(0)).build();
    s.start();
    return s;
  }

  private static HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void assertJsonError(int status, HttpResponse<String> r, String reasonPart)
      throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals(status, body.get("status").asInt());
    assertTrue(body.get("error").asText().contains(reasonPart), r.body());
  }

  @Test
  void aHostHeaderOfAnotherNameIsRefused() throws Exception {
    URI base = server.uri();
    RawHttp.Reply rebound = RawHttp.get(base, "/api/stats", "attacker.example:" + base.getPort());
    RawHttp.Reply loopback = RawHttp.get(base, "/api/stats", "localhost:" + base.getPort());
    RawHttp.Reply address = RawHttp.get(base, "/api/stats", "127.0.0.1:" + base.getPort());

    assertEquals(403, rebound.status(), rebound.body());
    assertTrue(rebound.body().contains("--allowed-host"), rebound.body());
    assertEquals(200, loopback.status(), loopback.body());
    assertEquals(200, address.status(), address.body());
  }

  @Test
  void anAllowedHostIsAnswered() throws Exception {
    SearchServer named = serverWith(b -> b.allowedHosts(List.of("search.lan")));
    try {
      URI base = named.uri();
      assertEquals(200, RawHttp.get(base, "/api/stats", "search.lan:" + base.getPort()).status());
      assertEquals(403, RawHttp.get(base, "/api/stats", "other.lan").status());
    } finally {
      named.stop();
    }
  }

  @Test
  void thePageCannotBeFramedAndRunsOnlyItsOwnScripts() throws Exception {
    HttpResponse<String> page = get(server.uri(), "/");

    assertEquals(200, page.statusCode());
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
  }

  @Test
  void aWrongMethodIs405NamingTheAllowedOnes() throws Exception {
    HttpResponse<String> search =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/api/search?q=x")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> stats =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/api/stats"))
                .PUT(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertJsonError(405, search, "not allowed");
    assertEquals("GET, POST", search.headers().firstValue("Allow").orElse(""));
    assertJsonError(405, stats, "not allowed");
    assertEquals("GET, HEAD", stats.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void theUriFieldIsNotSearchableUnlessConfigured() throws Exception {
    String prefix = enc("uri:file*");
    assertJsonError(
        400, get(server.uri(), "/api/search?query=" + prefix), "uri field cannot be searched");
    assertJsonError(
        400,
        get(server.uri(), "/api/search?q=red&filter=" + prefix),
        "uri field cannot be searched");

    SearchServer open =
        serverWith(b -> b.queryCost(QueryCostLimits.DEFAULTS.withSearchableUri(true)));
    try {
      assertEquals(200, get(open.uri(), "/api/search?query=" + prefix).statusCode());
    } finally {
      open.stop();
    }
  }

  @Test
  void aThousandFuzzyTermsAre400NotSecondsOfCpu() throws Exception {
    String fuzzy =
        IntStream.range(0, 1000).mapToObj(i -> "w" + i + "~").collect(Collectors.joining(" "));

    HttpResponse<String> r =
        get(server.uri(), "/api/search?query=" + enc("caption:(" + fuzzy + ")"));

    assertJsonError(400, r, "more than the limit of");
  }

  @Test
  void tooManyFuzzyOrWildcardClausesAre400() throws Exception {
    String nine = "caption:(a~ b~ c~ d* e* f* g~ h~ /i.*/)";
    assertJsonError(
        400,
        get(server.uri(), "/api/search?query=" + enc(nine)),
        "fuzzy, wildcard, prefix, regular expression or range clauses, more than the limit of 8");
    assertEquals(
        200, get(server.uri(), "/api/search?query=" + enc("caption:(red~ circ*)")).statusCode());
  }

  @Test
  void tooManyWordsAre400() throws Exception {
    String words = IntStream.range(0, 65).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    assertJsonError(
        400,
        get(server.uri(), "/api/search?mode=keyword&q=" + enc(words)),
        "65 terms and clauses, more than the limit of 64");
  }

  @Test
  void aSearchPastItsTimeBudgetIs503WithRetryAfter() throws Exception {
    SearchServer hurried =
        serverWith(b -> b.queryCost(QueryCostLimits.DEFAULTS.withTimeBudget(Duration.ofNanos(1))));
    try {
      HttpResponse<String> r = get(hurried.uri(), "/api/search?q=red&mode=hybrid");
      assertJsonError(503, r, "time budget");
      assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
    } finally {
      hurried.stop();
    }
  }

  @Test
  void requestsBeyondTheQueueAre503WithRetryAfterAndTheRestAnswered() throws Exception {
    SearchServer narrow =
        serverWith(
            b -> b.limits(ServerLimits.DEFAULTS.withRequestQueue(1, 0, Duration.ofMillis(1))));
    ExecutorService clients = Executors.newFixedThreadPool(32);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 96; i++) {
        answers.add(
            clients.submit(() -> get(narrow.uri(), "/api/search?q=red%20circle&mode=hybrid")));
      }
      int ok = 0;
      int busy = 0;
      for (Future<HttpResponse<String>> f : answers) {
        HttpResponse<String> r = f.get();
        if (r.statusCode() == 503) {
          busy++;
          assertTrue(r.headers().firstValue("Retry-After").isPresent(), r.headers().toString());
          assertEquals(503, JSON.readTree(r.body()).get("status").asInt(), r.body());
        } else {
          assertEquals(200, r.statusCode(), r.body());
          ok++;
        }
      }
      assertTrue(ok > 0, "some requests are answered");
      assertTrue(busy > 0, "96 requests at once, one at a time and none waiting: some are refused");
    } finally {
      clients.shutdownNow();
      narrow.stop();
    }
  }

  @Test
  void headersOverTheLimitAre431AsJson() throws Exception {
    String big = "x".repeat(ServerLimits.DEFAULTS.maxHeaderBytes() + 10);
    RawHttp.Reply r =
        RawHttp.exchange(
            server.uri(),
            "GET /api/stats HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + big
                + "\r\nConnection: close\r\n\r\n");

    assertEquals(431, r.status());
    assertEquals(431, JSON.readTree(r.body()).get("status").asInt(), r.body());
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413BeforeItIsSent() throws Exception {
    RawHttp.Reply r =
        RawHttp.exchange(
            server.uri(),
            "POST /api/search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000000\r\n"
                + "Connection: close\r\n\r\n");

    assertEquals(413, r.status(), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
  }

  @Test
  void aMalformedRequestIs400AsJson() throws Exception {
    RawHttp.Reply r = RawHttp.exchange(server.uri(), "GARBAGE\r\n\r\n");

    assertEquals(400, r.status());
    assertEquals(400, JSON.readTree(r.body()).get("status").asInt(), r.body());
  }

  @Test
  void stoppingLetsARequestInFlightFinishAndRefusesNewOnes() throws Exception {
    SearchServer stopping = serverWith(b -> b);
    URI base = stopping.uri();
    byte[] png = java.nio.file.Files.readAllBytes(sample.images.resolve("green-square.png"));
    try (Socket s = RawHttp.open(base, 60_000)) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/search?size=1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                  + png.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(png, 0, png.length / 2);
      out.flush();
      Thread.sleep(300); // the request is in flight: its body is half sent
      CompletableFuture<Void> stop = CompletableFuture.runAsync(stopping::stop);
      Thread.sleep(500);
      assertThrows(
          IOException.class,
          () -> RawHttp.get(base, "/api/stats", "localhost"),
          "a stopping server takes no new connection");
      out.write(png, png.length / 2, png.length - png.length / 2);
      out.flush();
      RawHttp.Reply reply = RawHttp.read(s.getInputStream());
      assertEquals(200, reply.status(), reply.body());
      assertEquals(
          "green-square", JSON.readTree(reply.body()).get("hits").get(0).get("id").asText());
      stop.get();
    }
  }
}
