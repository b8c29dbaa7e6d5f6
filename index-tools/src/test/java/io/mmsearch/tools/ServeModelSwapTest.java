package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.SearchServer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with a shadow index built with another model: {@code ?model=} answers from it,
 * every answer names its model, and {@code POST /api/admin/swap} exchanges live and shadow
 * atomically under a concurrent query load without failing a request.
 */
class ServeModelSwapTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  static SampleIndex sample;
  static Path newBundle;
  static Path newIndex;
  static SearchSession oldSession;
  static SearchSession newSession;
  static String oldModel;
  static String newModel;
  static HttpClient http = HttpClient.newHttpClient();
  SearchServer server;

  @BeforeAll
  static void indexWithOneModelAndReindexWithAnother() throws Exception {
    sample = SampleIndex.create(root.resolve("sample"));
    SampleIndex.Reindexed reindexed = sample.reindexWithAnotherModel(root);
    newBundle = reindexed.bundle();
    newIndex = reindexed.index();
    oldSession = SearchSession.open(sample.index, sample.bundle);
    newSession = SearchSession.open(newIndex, newBundle);
    oldModel = oldSession.modelIdentity().fingerprint();
    newModel = newSession.modelIdentity().fingerprint();
  }

  @AfterAll
  static void close() throws Exception {
    oldSession.close();
    newSession.close();
  }

  @BeforeEach
  void startWithTheOldModelLiveAndTheNewOneAsShadow() throws Exception {
    server =
        SearchServer.builder()
            .session(oldSession)
            .index(sample.index)
            .shadow(newSession, newIndex)
            .port(0)
            .build();
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> admin(URI base, String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void everyAnswerNamesItsModelAndModelPicksTheShadow() throws Exception {
    JsonNode live = json(get("/api/search?q=red+circle"));
    assertEquals(oldModel, live.get("model").get("fingerprint").asText());
    assertEquals("live", live.get("model").get("role").asText());

    String prefix = newModel.substring(0, 12);
    HttpResponse<byte[]> r = get("/api/search?q=red+circle&model=" + prefix);
    assertEquals(200, r.statusCode(), new String(r.body()));
    JsonNode shadow = json(r);
    assertEquals(newModel, shadow.get("model").get("fingerprint").asText());
    assertEquals("shadow", shadow.get("model").get("role").asText());
    String image = shadow.get("hits").get(0).get("image").asText();
    assertTrue(image.endsWith("?model=" + prefix), "images come from the same index: " + image);
    assertEquals(200, get(image).statusCode());
    assertEquals(6, json(get("/api/stats?model=" + prefix)).get("documents").asInt());

    JsonNode models = json(get("/api/models")).get("models");
    assertEquals(2, models.size());
    assertEquals(oldModel, models.get(0).get("fingerprint").asText());
    assertEquals("live", models.get(0).get("role").asText());
    assertEquals(newModel, models.get(1).get("fingerprint").asText());
  }

  @Test
  void anUnknownModelIsRefusedNamingTheServedOnes() throws Exception {
    HttpResponse<byte[]> r = get("/api/search?q=red&model=deadbeefdeadbeef");
    assertEquals(400, r.statusCode());
    String error = json(r).get("error").asText();
    assertTrue(
        error.contains(oldModel.substring(0, 12)) && error.contains(newModel.substring(0, 12)),
        error);
  }

  @Test
  void swapsUnderAConcurrentQueryLoadFailNoRequest() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    List<String> failures = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String query = List.of("red+circle", "green", "blue+square", "circle").get(t);
      Thread client =
          new Thread(
              () -> {
                while (!done.get()) {
                  try {
                    HttpResponse<byte[]> r = get("/api/search?mode=vector&q=" + query);
                    if (r.statusCode() != 200) {
                      failures.add(r.statusCode() + " " + new String(r.body()));
                      continue;
                    }
                    JsonNode body = json(r);
                    if (body.get("hits").isEmpty()) {
                      failures.add("no hits: " + body);
                    }
                    answeredBy
                        .computeIfAbsent(
                            body.get("model").get("fingerprint").asText(), m -> new AtomicInteger())
                        .incrementAndGet();
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              });
      clients.add(client);
      client.start();
    }
    int swaps = 10;
    for (int i = 0; i < swaps; i++) {
      Thread.sleep(100);
      HttpResponse<byte[]> r = admin(server.uri(), "/api/admin/swap", "{}");
      assertEquals(200, r.statusCode(), new String(r.body()));
      String expectedLive = i % 2 == 0 ? newModel : oldModel;
      assertEquals(
          expectedLive,
          json(r).get("models").get(0).get("fingerprint").asText(),
          "live after swap");
    }
    Thread.sleep(100);
    done.set(true);
    for (Thread t : clients) {
      t.join();
    }
    assertEquals(List.of(), failures, "no request failed during " + swaps + " swaps");
    assertEquals(Set.of(oldModel, newModel), answeredBy.keySet(), "both models answered");
    assertTrue(answeredBy.get(newModel).get() > 0 && answeredBy.get(oldModel).get() > 0);
    assertEquals(oldModel, json(get("/api/search?q=red")).get("model").get("fingerprint").asText());
  }

  @Test
  void anIndexOpenedWhileServingBecomesTheShadowOrTheLiveIndex() throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of("index", newIndex.toString(), "model", newBundle.toString()));
    HttpResponse<byte[]> shadow = admin(server.uri(), "/api/admin/shadow", body);
    assertEquals(200, shadow.statusCode(), new String(shadow.body()));
    assertEquals(newModel, json(shadow).get("models").get(1).get("fingerprint").asText());

    HttpResponse<byte[]> live = admin(server.uri(), "/api/admin/swap", body);
    assertEquals(200, live.statusCode(), new String(live.body()));
    JsonNode models = json(live).get("models");
    assertEquals(newModel, models.get(0).get("fingerprint").asText(), "the opened index is live");
    assertEquals(oldModel, models.get(1).get("fingerprint").asText(), "the old one the shadow");
    assertEquals(newModel, json(get("/api/search?q=red")).get("model").get("fingerprint").asText());

    HttpResponse<byte[]> missing =
        admin(
            server.uri(),
            "/api/admin/shadow",
            JSON.writeValueAsString(
                Map.of(
                    "index", root.resolve("nothing").toString(), "model", newBundle.toString())));
    assertEquals(400, missing.statusCode());
    assertTrue(
        json(missing).get("error").asText().contains("no index in"), new String(missing.body()));
    HttpResponse<byte[]> mismatch =
        admin(
            server.uri(),
            "/api/admin/shadow",
            JSON.writeValueAsString(
                Map.of("index", sample.index.toString(), "model", newBundle.toString())));
    assertEquals(400, mismatch.statusCode(), "an index with another model's bundle");
  }

  @Test
  void theModelEndpointsTakeJsonPostsFromThisMachineOnly() throws Exception {
    assertEquals(405, get("/api/admin/swap").statusCode());
    HttpResponse<byte[]> form =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/api/admin/swap"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("x=1"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(415, form.statusCode(), "what a web page may post across origins is refused");
    assertEquals(oldModel, json(get("/api/search?q=red")).get("model").get("fingerprint").asText());

    Optional<InetAddress> lan = nonLoopbackAddress();
    assumeTrue(lan.isPresent(), "this machine has no non-loopback IPv4 address to call from");
    SearchServer open =
        SearchServer.builder()
            .session(oldSession)
            .index(sample.index)
            .shadow(newSession, newIndex)
            .host("0.0.0.0")
            .allowedHosts(List.of("*"))
            .port(0)
            .build();
    open.start();
    try {
      URI viaNetwork = URI.create("http://" + lan.get().getHostAddress() + ":" + open.port() + "/");
      HttpResponse<byte[]> r = admin(viaNetwork, "/api/admin/swap", "{}");
      assertEquals(403, r.statusCode(), new String(r.body()));
      assertEquals(200, admin(open.uri(), "/api/admin/swap", "{}").statusCode());
    } finally {
      open.stop();
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void withoutAShadowASwapIsAConflict() throws Exception {
    SearchServer single =
        SearchServer.builder().session(oldSession).index(sample.index).port(0).build();
    single.start();
    try {
      HttpResponse<byte[]> r = admin(single.uri(), "/api/admin/swap", "{}");
      assertEquals(409, r.statusCode());
      assertTrue(json(r).get("error").asText().contains("no shadow"), new String(r.body()));
    } finally {
      single.stop();
    }
  }
}
