package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.SearchServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side faults: a 500 with a generic message and an incident id that the server log carries
 * with the cause; never a 400 and never the exception's text.
 */
class ServeErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;
  SampleIndex sample;
  SearchSession session;
  SearchServer server;
  final List<LogRecord> log = new CopyOnWriteArrayList<>();
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          log.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  final Logger serveLogger = Logger.getLogger("io.mmsearch.tools.serve");

  @BeforeEach
  void start() throws Exception {
    sample = SampleIndex.create(root);
    session = SearchSession.open(sample.index, sample.bundle);
    server = SearchServer.builder().session(session).index(sample.index).port(0).build();
    server.start();
    serveLogger.addHandler(capture);
  }

  @AfterEach
  void stop() throws Exception {
    serveLogger.removeHandler(capture);
    server.stop();
    session.close();
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(server.uri().resolve(path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private void assertGeneric500WithLoggedIncident(HttpResponse<byte[]> r, String... secrets)
      throws Exception {
    String text = new String(r.body());
    assertEquals(500, r.statusCode(), text);
    JsonNode body = JSON.readTree(r.body());
    for (String secret : secrets) {
      assertFalse(text.contains(secret), "the response leaks '" + secret + "': " + text);
    }
    assertFalse(text.contains("Exception"), text);
    String incident = body.get("incident").asText();
    assertFalse(incident.isBlank(), text);
    assertTrue(body.get("error").asText().contains(incident), text);
    assertTrue(
        log.stream()
            .anyMatch(
                rec ->
                    String.valueOf(rec.getMessage()).contains(incident) && rec.getThrown() != null),
        "the server log names incident " + incident + " with its cause");
  }

  @Test
  void anInternalIllegalArgumentIsA500NotABadRequest() throws Exception {
    // Another process commits malformed model data into the index the server reads.
    try (FSDirectory dir = FSDirectory.open(sample.index);
        IndexWriter raw = new IndexWriter(dir, new IndexWriterConfig())) {
      raw.setLiveCommitData(
          Map.of("mmsearch.model.fingerprint", "sha256:x", "mmsearch.model.dimension", "eight")
              .entrySet());
      raw.commit();
    }
    assertGeneric500WithLoggedIncident(get("/api/stats"), "eight", "dimension");
  }

  @Test
  void anInternalIoFailureIsA500WithoutPathsOrExceptionText() throws Exception {
    try (var files = Files.list(sample.index)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    assertGeneric500WithLoggedIncident(get("/api/stats"), sample.index.toString(), "segments");
  }
}
