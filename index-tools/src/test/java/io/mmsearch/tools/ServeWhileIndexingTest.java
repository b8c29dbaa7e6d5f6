package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingSummary;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.SearchServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} answers queries while an indexing run commits into the same index: no request
 * fails, each client sees the document count only grow, and once the run ends the server's answers
 * converge to those of a searcher opened fresh on the final index.
 */
class ServeWhileIndexingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FIRST = 20;
  private static final int MORE = 150;
  private static final int CLIENTS = 3;

  @TempDir Path root;

  @Test
  void queriesSucceedDuringIndexingAndResultsConverge() throws Exception {
    Path bundle = root.resolve("bundle");
    TinyBundles.write(bundle, 17);
    Path first = root.resolve("first");
    Path more = root.resolve("more");
    IndexChecks.shapes(first, FIRST);
    for (int i = 0; i < MORE; i++) {
      TestImages.write(
          more.resolve("more-" + i + ".png"),
          TestImages.shape(
              new java.awt.Color((i * 53) % 256, (i * 29) % 256, (i * 71) % 256),
              i % 3 == 0,
              "png"));
    }
    Path index = root.resolve("index");
    try (DualEncoder encoders =
        Encoders.open(EncoderCriteria.builder().bundle(bundle).intraOpThreads(1).build())) {
      assertEquals(FIRST, index(encoders, first, index).added());

      try (SearchSession session = SearchSession.open(index, bundle)) {
        SearchServer server =
            SearchServer.builder()
                .session(session)
                .index(index)
                .port(0)
                .refreshInterval(Duration.ofMillis(100))
                .build();
        server.start();
        try {
          HttpClient http = HttpClient.newHttpClient();
          AtomicBoolean indexing = new AtomicBoolean(true);
          List<String> failures = new CopyOnWriteArrayList<>();
          AtomicInteger answered = new AtomicInteger();
          List<Thread> clients = new ArrayList<>();
          for (int c = 0; c < CLIENTS; c++) {
            clients.add(
                Thread.ofPlatform()
                    .start(() -> queryUntil(http, server.uri(), indexing, failures, answered)));
          }
          IndexingSummary second = index(encoders, more, index);
          indexing.set(false);
          for (Thread t : clients) {
            t.join();
          }
          assertEquals(MORE, second.added(), second.toString());
          assertEquals(List.of(), failures);
          assertTrue(answered.get() > 0);

          // Converges: the server picks up the last commit and answers as a fresh one does.
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          JsonNode stats = get(http, server.uri().resolve("/api/stats"));
          while (stats.get("documents").asInt() < FIRST + MORE && System.nanoTime() < deadline) {
            Thread.sleep(100);
            stats = get(http, server.uri().resolve("/api/stats"));
          }
          assertEquals(FIRST + MORE, stats.get("documents").asInt(), stats.toString());
          try (SearchSession fresh = SearchSession.open(index, bundle)) {
            SearchServer reference =
                SearchServer.builder().session(fresh).index(index).port(0).build();
            reference.start();
            try {
              for (String q :
                  List.of(
                      "/api/search?q=red&mode=vector&size=10",
                      "/api/search?like=more-7.png&size=10")) {
                assertEquals(
                    hitIds(get(http, reference.uri().resolve(q))),
                    hitIds(get(http, server.uri().resolve(q))),
                    q);
              }
            } finally {
              reference.stop();
            }
          }
          System.out.printf(
              "serve while indexing: %d answers to %d clients, no failure%n",
              answered.get(), CLIENTS);
        } finally {
          server.stop();
        }
      }
    }
  }

  private static void queryUntil(
      HttpClient http,
      URI base,
      AtomicBoolean indexing,
      List<String> failures,
      AtomicInteger answered) {
    int lastCount = 0;
    String[] queries = {
      "/api/search?q=red&mode=vector&size=5", "/api/search?like=img-0.png&size=5", "/api/stats"
    };
    int i = 0;
    while (indexing.get()) {
      String path = queries[i++ % queries.length];
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          failures.add(path + " -> " + r.statusCode() + " " + r.body());
          continue;
        }
        answered.incrementAndGet();
        if (path.equals("/api/stats")) {
          int count = JSON.readTree(r.body()).get("documents").asInt();
          if (count < lastCount) {
            failures.add("the document count went back from " + lastCount + " to " + count);
          }
          lastCount = count;
        }
      } catch (Exception e) {
        failures.add(path + " -> " + e);
      }
    }
  }

  private static IndexingSummary index(DualEncoder encoders, Path input, Path index)
      throws Exception {
    Path report = index.getParent().resolve(input.getFileName() + "-errors.jsonl");
    try (ErrorReport errors = ErrorReport.create(report)) {
      return IndexingPipeline.builder()
          .inputs(List.of(input))
          .index(index)
          .encoders(encoders)
          .errors(errors)
          .threads(1)
          .batchSize(4)
          .commitIntervalSeconds(0)
          .build()
          .run();
    }
  }

  private static List<String> hitIds(JsonNode results) {
    List<String> ids = new ArrayList<>();
    results.get("hits").forEach(h -> ids.add(h.get("id").asText()));
    return ids;
  }

  private static JsonNode get(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }
}
