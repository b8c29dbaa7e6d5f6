package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.SearchServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded load and abuse against a loopback {@code serve}, with the default limits:
 *
 * <ul>
 *   <li>{@value #DEFAULT_CLIENTS} concurrent clients send a fixed number of mixed requests
 *       (keyword, vector, hybrid, find-more-like, filters, image uploads, stats, images, the page):
 *       none fails, and the latency percentiles are printed;
 *   <li>clients trickling their headers or their bodies a byte at a time run beside normal ones:
 *       the normal clients keep getting answers (within a generous liveness bound, not a timing
 *       target), the slow bodies are refused with 408;
 *   <li>oversized, malformed, unauthorised and expensive requests each get a clear status with a
 *       JSON reason that names no exception and no path, and the server answers normally after.
 * </ul>
 *
 * {@code -Dmmsearch.load.requests=N}, {@code -Dmmsearch.load.clients=N} and {@code
 * -Dmmsearch.abuse.slow=N} scale it up for the published figures (docs/reliability.md).
 */
class ServeLoadAndAbuseTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_CLIENTS = 8;
  private static final int CLIENTS = Integer.getInteger("mmsearch.load.clients", DEFAULT_CLIENTS);
  private static final int REQUESTS = Integer.getInteger("mmsearch.load.requests", 1200);
  private static final int SLOW = Integer.getInteger("mmsearch.abuse.slow", 8);

  /** The liveness bound for a normal request while slow clients trickle (generous on purpose). */
  private static final Duration LIVENESS = Duration.ofSeconds(20);

  @TempDir static java.nio.file.Path root;
  static SampleIndex sample;
  static SearchSession session;
  static SearchServer server;
  static byte[] png;

  @BeforeAll
  static void start() throws Exception {
    sample = SampleIndex.create(root);
    session = SearchSession.open(sample.index, sample.bundle);
    server = SearchServer.builder().session(session).index(sample.index).port(0).build();
    server.start();
    png = Files.readAllBytes(sample.images.resolve("blue-circle.png"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    session.close();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The mixed request number {@code i} of a client. */
  private static HttpRequest mixed(URI base, int i) {
    String[] gets = {
      "/api/search?q=red&mode=keyword",
      "/api/search?q=blue%20circle&mode=vector&size=3",
      "/api/search?q=green%20leaf&mode=hybrid&explain=true",
      "/api/search?like=red-square&size=4",
      "/api/search?q=circle&class=nature",
      "/api/search?q=square&filter=" + enc("class:shapes"),
      "/api/search?query=" + enc("caption:(red OR blue) near:\"sky\"") + "&fusion=linear",
      "/api/stats",
      "/api/image/green-circle",
      "/",
    };
    if (i % (gets.length + 1) == gets.length) {
      return HttpRequest.newBuilder(base.resolve("/api/search?size=2"))
          .timeout(Duration.ofSeconds(60))
          .POST(HttpRequest.BodyPublishers.ofByteArray(png))
          .build();
    }
    return HttpRequest.newBuilder(base.resolve(gets[i % (gets.length + 1)]))
        .timeout(Duration.ofSeconds(60))
        .build();
  }

  private static String percentiles(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "no answers";
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format(
        "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
        at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
  }

  private static long at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  @Test
  void concurrentClientsWithMixedRequestsGetNoErrors() throws Exception {
    List<Long> latencies = new CopyOnWriteArrayList<>();
    List<String> errors = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      clients.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    HttpClient http = HttpClient.newHttpClient();
                    for (int i = client; i < REQUESTS; i += CLIENTS) {
                      HttpRequest request = mixed(server.uri(), i);
                      long t = System.nanoTime();
                      try {
                        HttpResponse<byte[]> r =
                            http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        latencies.add(System.nanoTime() - t);
                        if (r.statusCode() != 200) {
                          errors.add(request.uri() + " -> " + r.statusCode());
                        }
                      } catch (Exception e) {
                        errors.add(request.uri() + " -> " + e);
                      }
                    }
                  }));
    }
    for (Thread t : clients) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "load: %d requests from %d clients in %.1f s (%.0f req/s), %d errors; %s%n",
        latencies.size(),
        CLIENTS,
        seconds,
        latencies.size() / seconds,
        errors.size(),
        percentiles(latencies));
    assertEquals(List.of(), errors);
    assertEquals(REQUESTS, latencies.size());
  }

  @Test
  void normalClientsKeepGettingAnswersWhileSlowClientsTrickle() throws Exception {
    AtomicBoolean abusing = new AtomicBoolean(true);
    List<Socket> sockets = new CopyOnWriteArrayList<>();
    ConcurrentLinkedQueue<String> slowBodyOutcomes = new ConcurrentLinkedQueue<>();
    List<Thread> slow = new ArrayList<>();
    for (int i = 0; i < SLOW; i++) {
      boolean body = i % 2 == 1;
      slow.add(
          Thread.ofPlatform()
              .daemon()
              .start(() -> trickle(body, abusing, sockets, slowBodyOutcomes)));
    }
    Thread.sleep(500); // every slow client is connected and trickling

    List<Long> latencies = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    HttpClient http = HttpClient.newBuilder().connectTimeout(LIVENESS).build();
    long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    for (int i = 0; System.nanoTime() < until || i < 20; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(mixed(server.uri(), i).uri())
              .timeout(LIVENESS)
              .method(
                  mixed(server.uri(), i).method(),
                  mixed(server.uri(), i)
                      .bodyPublisher()
                      .orElse(HttpRequest.BodyPublishers.noBody()))
              .build();
      long t = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        latencies.add(System.nanoTime() - t);
        if (r.statusCode() != 200) {
          failures.add(request.uri() + " -> " + r.statusCode());
        }
      } catch (Exception e) {
        failures.add(request.uri() + " -> " + e);
      }
    }
    abusing.set(false);
    for (Socket s : sockets) {
      s.close();
    }
    for (Thread t : slow) {
      t.join(10_000);
    }
    System.out.printf(
        "abuse: %d normal requests answered beside %d slow clients (%d trickling headers, %d"
            + " bodies); %s; slow bodies: %s%n",
        latencies.size(),
        SLOW,
        SLOW - SLOW / 2,
        SLOW / 2,
        percentiles(latencies),
        slowBodyOutcomes);
    assertEquals(List.of(), failures, "normal clients are answered within " + LIVENESS);
    for (String outcome : slowBodyOutcomes) {
      assertTrue(outcome.equals("408") || outcome.equals("closed"), slowBodyOutcomes.toString());
    }
  }

  /** A client sending a request (or only its body) one byte every 200 ms. */
  private static void trickle(
      boolean body,
      AtomicBoolean abusing,
      List<Socket> sockets,
      ConcurrentLinkedQueue<String> slowBodyOutcomes) {
    try (Socket s = RawHttp.open(server.uri(), 60_000)) {
      sockets.add(s);
      OutputStream out = s.getOutputStream();
      byte[] request;
      if (body) {
        out.write(
            "POST /api/search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        request = new byte[5000];
      } else {
        request =
            ("GET /api/stats HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
                    + "p".repeat(60)
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
      }
      for (int i = 0; i < request.length && abusing.get(); i++) {
        out.write(request[i]);
        out.flush();
        Thread.sleep(200);
        if (body && s.getInputStream().available() > 0) {
          break; // the server answered before the body was complete
        }
      }
      if (body) {
        InputStream in = s.getInputStream();
        RawHttp.Reply reply = RawHttp.read(in);
        slowBodyOutcomes.add(String.valueOf(reply.status()));
      }
    } catch (IOException e) {
      if (body) {
        slowBodyOutcomes.add("closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One abusive request and the statuses that are a clear answer to it. */
  private record Abuse(String name, String raw, Set<Integer> clearAnswers) {}

  private static String get(String pathAndQuery) {
    return "GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  }

  private static String post(String path, byte[] body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
        + body.length
        + "\r\nConnection: close\r\n\r\n"
        + new String(body, StandardCharsets.ISO_8859_1);
  }

  @Test
  void oversizedMalformedAndExpensiveRequestsGetClearAnswersAndTheServerStaysHealthy()
      throws Exception {
    String fuzzy =
        IntStream.range(0, 1000).mapToObj(i -> "w" + i + "~").collect(Collectors.joining(" "));
    byte[] overLimit = new byte[(int) (10L << 20) + 1];
    List<Abuse> cases =
        List.of(
            new Abuse(
                "headers over the limit",
                get("/api/stats")
                    .replace("Host: localhost", "Host: localhost\r\nX-Big: " + "x".repeat(20_000)),
                Set.of(431)),
            new Abuse(
                "URI over the limit", get("/api/search?q=" + "a".repeat(20_000)), Set.of(414, 431)),
            new Abuse(
                "declared body of 2 GB",
                "POST /api/search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000000000\r\n"
                    + "Connection: close\r\n\r\n",
                Set.of(413)),
            new Abuse("body over the limit", post("/api/search", overLimit), Set.of(413)),
            new Abuse("upload that is text", post("/api/search", "hello".getBytes()), Set.of(415)),
            new Abuse("truncated PNG", post("/api/search", Arrays.copyOf(png, 60)), Set.of(415)),
            new Abuse(
                "PNG declaring 30000 x 30000 pixels",
                post(
                    "/api/search",
                    io.mmsearch.encoders.image.TestImages.pngHeaderOnly(30000, 30000)),
                Set.of(413)),
            new Abuse("empty POST", post("/api/search", new byte[0]), Set.of(400)),
            new Abuse("garbage request line", "GARBAGE\r\n\r\n", Set.of(400)),
            new Abuse(
                "HTTP/1.1 without Host",
                "GET /api/stats HTTP/1.1\r\nConnection: close\r\n\r\n",
                Set.of(400)),
            new Abuse(
                "foreign Host",
                get("/api/stats").replace("Host: localhost", "Host: evil.example"),
                Set.of(403)),
            new Abuse("bad %-escape", get("/api/search?q=%zz"), Set.of(400)),
            new Abuse("k not a number", get("/api/search?q=x&k=abc"), Set.of(400)),
            new Abuse("k too large", get("/api/search?q=x&k=100000"), Set.of(400)),
            new Abuse("negative from", get("/api/search?q=x&from=-1"), Set.of(400)),
            new Abuse("unknown mode", get("/api/search?q=x&mode=psychic"), Set.of(400)),
            new Abuse("nothing to search for", get("/api/search"), Set.of(400)),
            new Abuse(
                "query syntax error", get("/api/search?query=" + enc("caption:(red")), Set.of(400)),
            new Abuse(
                "unknown document to find more like", get("/api/search?like=nobody"), Set.of(400)),
            new Abuse(
                "a thousand fuzzy terms",
                get("/api/search?query=" + enc("caption:(" + fuzzy + ")")),
                Set.of(400)),
            new Abuse(
                "runaway regular expression",
                get("/api/search?query=" + enc("caption:/(a|b)*a(a|b){24}/")),
                Set.of(400)),
            new Abuse("uri probing", get("/api/search?query=" + enc("uri:file*")), Set.of(400)),
            new Abuse(
                "uri range filter",
                get("/api/search?q=red&filter=" + enc("uri:[a TO z]")),
                Set.of(400)),
            new Abuse(
                "vector clause in a filter",
                get("/api/search?q=red&filter=" + enc("near:\"red\"")),
                Set.of(400)),
            new Abuse("path traversal", get("/api/image/..%2F..%2F..%2Fetc%2Fpasswd"), Set.of(404)),
            new Abuse("unknown endpoint", get("/api/admin"), Set.of(404)),
            new Abuse(
                "wrong method",
                "DELETE /api/search HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                Set.of(405)));
    Map<String, Integer> seen = new java.util.LinkedHashMap<>();
    for (Abuse abuse : cases) {
      RawHttp.Reply r = RawHttp.exchange(server.uri(), abuse.raw());
      seen.put(abuse.name(), r.status());
      assertTrue(
          abuse.clearAnswers().contains(r.status()),
          abuse.name() + ": " + r.status() + " " + r.body());
      JsonNode body = JSON.readTree(r.body());
      assertEquals(r.status(), body.get("status").asInt(), abuse.name() + ": " + r.body());
      for (String leak :
          List.of("Exception", "java.", "org.apache", "org.eclipse", root.toString())) {
        assertFalse(r.body().contains(leak), abuse.name() + " leaks '" + leak + "': " + r.body());
      }
    }
    System.out.printf("abuse: %d cases, each a clear answer: %s%n", cases.size(), seen);

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> after =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/api/search?q=red%20circle")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, after.statusCode(), "healthy after the abuse: " + after.body());
    assertTrue(JSON.readTree(after.body()).get("hits").size() > 0);
  }
}
