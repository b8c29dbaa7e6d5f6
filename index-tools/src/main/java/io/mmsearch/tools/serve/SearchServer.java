package io.mmsearch.tools.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.mmsearch.lucene.search.Fusion;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.SearchResults;
import io.mmsearch.tools.ingest.ImageProbe;
import io.mmsearch.tools.search.ResultsJson;
import io.mmsearch.tools.search.SearchMode;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.stats.IndexStats;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP server of {@code mmsearch serve}: a JSON search API and the web page, over one {@link
 * SearchSession}.
 *
 * <p>Security: binds to {@code 127.0.0.1} unless told otherwise; uploads are capped ({@code 413}
 * above the limit) and must really be images ({@code 415} otherwise, by content, not by name);
 * {@code /api/image/<id>} serves only the file of an indexed document, found by id through the
 * index, so no request path ever becomes a file path; static files come from a fixed list of class
 * path resources.
 *
 * <p>Lifecycle: {@link #start()} then {@link #stop(int)}; the session is not owned (the caller
 * closes it after stopping). The index is re-opened every few seconds if a newer commit exists, so
 * a concurrent {@code mmsearch index} run shows up without a restart. Thread-safe.
 */
public final class SearchServer {
  private static final Logger LOG = Logger.getLogger(SearchServer.class.getName());
  private static final String WEB = "/io/mmsearch/tools/serve/web/";
  private static final Map<String, String> STATIC_FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/app.js", "app.js",
          "/style.css", "style.css");

  private final SearchSession session;
  private final Path indexDir;
  private final String host;
  private final int requestedPort;
  private final long maxUploadBytes;
  private final int maxK;
  private final java.time.Duration refreshInterval;
  private final ImageProbe probe = new ImageProbe();
  private HttpServer server;
  private ExecutorService workers;
  private ScheduledExecutorService refresher;

  private SearchServer(Builder b) {
    this.session = Objects.requireNonNull(b.session, "session");
    this.indexDir = Objects.requireNonNull(b.indexDir, "index");
    this.host = b.host;
    this.requestedPort = b.port;
    this.maxUploadBytes = b.maxUploadBytes;
    this.maxK = b.maxK;
    this.refreshInterval = b.refreshInterval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds and starts serving; returns at once. */
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    server = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
    server.createContext("/api/search", guarded(this::search));
    server.createContext("/api/image/", guarded(this::image));
    server.createContext("/api/stats", guarded(this::stats));
    server.createContext(
        "/api/",
        guarded(
            ex -> {
              throw new HttpError(404, "no such API endpoint " + ex.getRequestURI().getPath());
            }));
    server.createContext("/", guarded(this::staticFile));
    workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    server.setExecutor(workers);
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("mmsearch-refresh").unstarted(r));
    long every = refreshInterval.toMillis();
    refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    server.start();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The page's address. */
  public URI uri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port() + "/");
  }

  /**
   * Stops accepting connections, lets exchanges in progress finish for up to {@code graceSeconds},
   * and stops the worker threads.
   */
  public synchronized void stop(int graceSeconds) {
    if (server == null) {
      return;
    }
    server.stop(graceSeconds);
    refresher.shutdownNow();
    workers.shutdown();
    try {
      workers.awaitTermination(graceSeconds + 1L, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
  }

  private void refresh() {
    try {
      session.refresh();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not refresh the index", e);
    }
  }

  // ---- handlers ----

  private interface Handler {
    void handle(HttpExchange ex) throws IOException;
  }

  /**
   * Answers every failure with a JSON error mapped by {@link HttpErrorMapping}; nothing escapes as
   * a dropped connection.
   */
  private HttpHandler guarded(Handler handler) {
    return ex -> {
      try {
        handler.handle(ex);
      } catch (IOException | RuntimeException failure) {
        drain(ex);
        HttpErrorMapping.ErrorResponse error =
            HttpErrorMapping.map(failure, ex.getRequestMethod() + " " + ex.getRequestURI());
        try {
          Exchanges.sendJson(ex, error.status(), error.toJson());
        } catch (IOException | RuntimeException unsent) {
          ex.close(); // the client went away; nothing more to tell it
        }
      }
    };
  }

  /** Reads what is left of a request body so the connection can be reused. */
  private void drain(HttpExchange ex) {
    try (InputStream in = ex.getRequestBody()) {
      in.skip(maxUploadBytes);
    } catch (IOException ignored) {
      // The connection is closed after an error response anyway.
    }
  }

  private void search(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if (!method.equals("GET") && !method.equals("POST")) {
      throw new HttpError(405, "use GET, or POST with an image as the body");
    }
    Map<String, List<String>> p = Exchanges.parameters(ex);
    String fusion = Exchanges.given(p, "fusion");
    int k = Exchanges.intParam(p, "k", 24, 1, maxK);
    int from = Exchanges.intParam(p, "from", 0, 0, 100_000);
    SearchRequest.Builder request =
        mode(Exchanges.given(p, "mode"))
            .apply(
                session.parse(Exchanges.given(p, "query"), Exchanges.given(p, "filter")),
                Exchanges.given(p, "q"))
            .likeId(Exchanges.given(p, "like"))
            .keywords(Exchanges.given(p, "keywords"))
            .classes(p.getOrDefault("class", List.of()).stream().filter(c -> !c.isBlank()).toList())
            .fusion(fusion == null ? Fusion.rrf() : Fusion.named(fusion))
            .k(k)
            .size(k)
            .from(from);
    if (method.equals("POST")) {
      byte[] image = Exchanges.body(ex, maxUploadBytes);
      if (image.length > 0) {
        String type = probe.detectMediaType(image);
        if (!ImageProbe.isImage(type)) {
          throw new HttpError(415, "the upload is not an image (its content is " + type + ")");
        }
        request.image(image);
      }
    }
    SearchRequest built = request.build();
    long start = System.nanoTime();
    SearchResults results = session.search(built);
    double tookMs = (System.nanoTime() - start) / 1e6;
    ObjectNode body =
        ResultsJson.toJson(
            results, from, "true".equals(Exchanges.given(p, "explain")), false, tookMs);
    for (var hit : (ArrayNode) body.get("hits")) {
      ((ObjectNode) hit)
          .put(
              "image",
              "/api/image/"
                  + URLEncoder.encode(hit.get("id").asText(), StandardCharsets.UTF_8)
                      .replace("+", "%20"));
    }
    Exchanges.sendJson(ex, 200, body);
  }

  private static SearchMode mode(String value) {
    if (value == null) {
      return SearchMode.HYBRID;
    }
    try {
      return SearchMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "mode must be keyword, vector or hybrid, got '" + value + "'");
    }
  }

  private void image(HttpExchange ex) throws IOException {
    requireGet(ex);
    String raw = ex.getRequestURI().getPath().substring("/api/image/".length());
    if (raw.isEmpty()) {
      throw new HttpError(404, "no document id given");
    }
    Optional<Hit> doc = session.document(raw);
    if (doc.isEmpty() || doc.get().uri() == null) {
      throw new HttpError(404, "no indexed image with id '" + raw + "'");
    }
    Path file;
    try {
      file = Path.of(URI.create(doc.get().uri()));
    } catch (IllegalArgumentException e) {
      throw new HttpError(404, "document '" + raw + "' has no local image");
    }
    if (!Files.isRegularFile(file)) {
      throw new HttpError(404, "the image of document '" + raw + "' is gone from disk");
    }
    byte[] bytes = Files.readAllBytes(file);
    String type = probe.detectMediaType(bytes);
    if (!ImageProbe.isImage(type)) {
      throw new HttpError(404, "the file of document '" + raw + "' is no longer an image");
    }
    Exchanges.send(ex, 200, type, bytes);
  }

  private void stats(HttpExchange ex) throws IOException {
    requireGet(ex);
    Exchanges.sendJson(ex, 200, IndexStats.read(indexDir).toJson());
  }

  private void staticFile(HttpExchange ex) throws IOException {
    requireGet(ex);
    String name = STATIC_FILES.get(ex.getRequestURI().getPath());
    if (name == null) {
      throw new HttpError(404, "not found: " + ex.getRequestURI().getPath());
    }
    byte[] bytes;
    try (InputStream in = SearchServer.class.getResourceAsStream(WEB + name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the build");
      }
      bytes = in.readAllBytes();
    }
    String type =
        name.endsWith(".html")
            ? "text/html; charset=utf-8"
            : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    Exchanges.send(ex, 200, type, bytes);
  }

  private static void requireGet(HttpExchange ex) {
    String m = ex.getRequestMethod();
    if (!m.equals("GET") && !m.equals("HEAD")) {
      throw new HttpError(405, "method " + m + " not allowed here");
    }
  }

  /** Options of a {@link SearchServer}. Not thread-safe. */
  public static final class Builder {
    private SearchSession session;
    private Path indexDir;
    private String host = "127.0.0.1";
    private int port = 8080;
    private long maxUploadBytes = 10L << 20;
    private int maxK = 200;
    private java.time.Duration refreshInterval = java.time.Duration.ofSeconds(5);

    private Builder() {}

    /** The session to search; not owned by the server. */
    public Builder session(SearchSession session) {
      this.session = session;
      return this;
    }

    /** The index folder (for {@code /api/stats}). */
    public Builder index(Path indexDir) {
      this.indexDir = indexDir;
      return this;
    }

    /** Address to bind; default {@code 127.0.0.1} (this machine only). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** Port; default 8080; 0 picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Largest accepted upload in bytes; default 10 MiB. */
    public Builder maxUploadBytes(long maxUploadBytes) {
      if (maxUploadBytes < 1) {
        throw new IllegalArgumentException("upload limit must be positive");
      }
      this.maxUploadBytes = maxUploadBytes;
      return this;
    }

    /** Largest {@code k} a request may ask for; default 200. */
    public Builder maxK(int maxK) {
      this.maxK = maxK;
      return this;
    }

    /** How often the index is checked for a newer commit; default 5 seconds. */
    public Builder refreshInterval(java.time.Duration interval) {
      if (interval.toMillis() < 1) {
        throw new IllegalArgumentException("refresh interval must be at least 1 ms");
      }
      this.refreshInterval = interval;
      return this;
    }

    public SearchServer build() {
      return new SearchServer(this);
    }
  }
}
