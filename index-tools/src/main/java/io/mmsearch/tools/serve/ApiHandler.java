package io.mmsearch.tools.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.MmsearchVersion;
import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.encoders.image.ImageHeader;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.image.RefusedFileException;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.SearchResults;
import io.mmsearch.semantics.Diversity;
import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.VectorTarget;
import io.mmsearch.tools.ingest.ImageProbe;
import io.mmsearch.tools.search.QueryCacheJson;
import io.mmsearch.tools.search.RequestOptions;
import io.mmsearch.tools.search.ResultsJson;
import io.mmsearch.tools.search.SearchMode;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.stats.CalibrationJson;
import io.mmsearch.tools.stats.IndexStats;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.lucene.index.QueryTimeout;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The endpoints of {@code mmsearch serve}: {@code /api/search} (GET, or POST with an image body),
 * {@code /api/image/<id>}, {@code /api/stats}, and the page's three static files. Runs on Jetty's
 * worker threads and may block (searching, encoding, reading an image file): the handlers before it
 * have already limited how many requests get here at once and buffered any request body.
 *
 * <p>Every exception becomes a JSON answer: {@link Unavailable} a 503 with {@code Retry-After},
 * anything else what {@link HttpErrorMapping} says (a 4xx with its reason, or a 500 with an
 * incident id and the details in the log only). A 405 lists the allowed methods in {@code Allow}.
 * An {@link Error} is no answer to map: a stack overflow (which has unwound) is a 500 like any
 * server fault, every other error (out of memory first of all) goes to the server's fatal-error
 * handler and on to Jetty, which fails the request.
 */
final class ApiHandler extends Handler.Abstract {
  private static final String WEB = "/io/mmsearch/tools/serve/web/";

  /**
   * The largest {@code oversample} a request may set: it multiplies the window (up to {@code
   * maxWindow}) into the candidates HNSW fetches and re-ranks, so it bounds a request's cost.
   */
  static final int MAX_OVERSAMPLE = 64;

  /** Hits per page when a search does not say ({@code size}); the web page shows this many. */
  static final int DEFAULT_PAGE_SIZE = 24;

  private static final Map<String, String> STATIC_FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/app.js", "app.js",
          "/style.css", "style.css");

  private final SearchSession session;
  private final Path indexDir;
  private final int maxWindow;
  private final long maxUploadBytes;
  private final long maxUploadPixels;
  private final QueryCostLimits cost;
  private final Consumer<Error> fatalErrors;
  private final ImageProbe probe = new ImageProbe();
  // The indexed file may have changed since: the same budget as indexing, and no special files.
  private final ImageFileReader imageFiles = ImageFileReader.withDefaultBudget();
  private final ImagePreprocessor headerReader = new ImagePreprocessor(ImageInputSpec.defaults());

  ApiHandler(
      SearchSession session,
      Path indexDir,
      int maxWindow,
      ServerLimits limits,
      QueryCostLimits cost,
      Consumer<Error> fatalErrors) {
    this.session = session;
    this.fatalErrors = fatalErrors;
    this.indexDir = indexDir;
    this.maxWindow = maxWindow;
    this.maxUploadBytes = limits.maxUploadBytes();
    this.maxUploadPixels = limits.maxUploadPixels();
    this.cost = cost;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    try {
      if (path.equals("/api/search")) {
        search(request, response, callback);
      } else if (path.startsWith("/api/image/")) {
        image(request, response, callback);
      } else if (path.equals("/api/stats")) {
        requireGet(request);
        Exchanges.sendJson(response, callback, 200, stats());
      } else if (path.startsWith("/api/")) {
        throw new HttpError(404, "no such API endpoint " + path);
      } else {
        staticFile(request, response, callback);
      }
    } catch (Unavailable e) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfterSeconds());
      sendError(response, callback, 503, e.getMessage());
    } catch (Error error) {
      if (!(error instanceof StackOverflowError)) {
        // Out of memory, linkage, internal errors: not an answer to map, a state to stop in.
        fatalErrors.accept(error);
        throw error;
      }
      // A stack overflow (a deeply nested query) has unwound; the thread is fine: a 500.
      answerFailure(request, response, callback, error);
    } catch (Exception failure) {
      answerFailure(request, response, callback, failure);
    }
    return true;
  }

  private static void answerFailure(
      Request request, Response response, Callback callback, Throwable failure) {
    if (failure instanceof HttpError e && !e.allowedMethods().isEmpty()) {
      response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", e.allowedMethods()));
    }
    HttpErrorMapping.ErrorResponse error =
        HttpErrorMapping.map(failure, request.getMethod() + " " + request.getHttpURI());
    Exchanges.sendJson(response, callback, error.status(), error.toJson());
  }

  private static void sendError(Response response, Callback callback, int status, String message) {
    ObjectNode o = Exchanges.JSON.createObjectNode();
    o.put("error", message);
    o.put("status", status);
    Exchanges.sendJson(response, callback, status, o);
  }

  /**
   * The index's stats, with the recall calibration the server searches with now (which may have
   * been measured here, for a layout no commit describes) in place of the commit's.
   */
  private ObjectNode stats() throws IOException {
    IndexStats stats = IndexStats.read(indexDir);
    ObjectNode body = stats.toJson();
    body.put("version", MmsearchVersion.current()); // the server's mmsearch version
    body.set("query_cache", QueryCacheJson.of(session.queryCache()));
    ObjectNode recall = body.putObject("recall");
    for (String field : stats.vectorFields().keySet()) {
      session
          .recallCalibration(field)
          .ifPresent(c -> recall.set(field, CalibrationJson.of(c.calibration(), c.current())));
    }
    return body;
  }

  private void search(Request request, Response response, Callback callback) throws IOException {
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("POST")) {
      throw HttpError.methodNotAllowed(method, "GET", "POST");
    }
    Map<String, List<String>> p = Exchanges.parameters(request);
    String fusion = Exchanges.given(p, "fusion");
    // Page size and list depth are separate: size hits from 'from', each list read to
    // max(k, from + size); that window is capped (deep pages cost candidates too).
    int size = Exchanges.intParam(p, "size", DEFAULT_PAGE_SIZE, 0, maxWindow);
    int from = Exchanges.intParam(p, "from", 0, 0, maxWindow);
    int k = Exchanges.intParam(p, "k", 1, 1, maxWindow);
    SearchRequest.Builder builder =
        SearchMode.named(Exchanges.given(p, "mode"))
            .apply(
                session.parse(Exchanges.given(p, "query"), Exchanges.given(p, "filter")),
                Exchanges.given(p, "q"));
    options(p).applyTo(builder, RequestOptions.Names.HTTP);
    builder
        .keywords(Exchanges.given(p, "keywords"))
        .classes(p.getOrDefault("class", List.of()).stream().filter(c -> !c.isBlank()).toList())
        .fusion(fusion == null ? Fusion.rrf() : Fusion.named(fusion))
        .k(k)
        .size(size)
        .from(from);
    // The vector search's depth: a target recall (default 0.98, the index's calibration picks the
    // count), or the expert override of a fixed oversample.
    Double recall = Exchanges.doubleParam(p, "recall");
    if (recall != null) {
      if (!(recall > 0 && recall <= 1)) {
        throw new HttpError(400, "recall must be in (0, 1], got " + recall);
      }
      builder.targetRecall(recall);
    }
    Double oversample = Exchanges.doubleParam(p, "oversample");
    if (oversample != null) {
      if (oversample < 1 || oversample > MAX_OVERSAMPLE) {
        throw new HttpError(
            400, "oversample must be between 1 and " + MAX_OVERSAMPLE + ", got " + oversample);
      }
      builder.oversample(oversample.floatValue());
    }
    if (method.equals("POST")) {
      byte[] image = body(request);
      if (image.length > 0) {
        String type = probe.detectMediaType(image);
        if (!ImageProbe.isImage(type)) {
          throw new HttpError(415, "the upload is not an image (its content is " + type + ")");
        }
        ImageHeader header = headerReader.readHeader(image, "the upload");
        if (header.pixels() > maxUploadPixels) {
          throw new HttpError(
              413,
              "the uploaded image is "
                  + header.width()
                  + "x"
                  + header.height()
                  + " pixels, more than the "
                  + maxUploadPixels
                  + " a query image may have");
        }
        builder.image(image);
      }
    }
    SearchRequest built = builder.build();
    built.depth().requireWindowAtMost(maxWindow, "ask for a smaller page, or one nearer the top");
    cost.check(built);
    long start = System.nanoTime();
    Budget budget = new Budget(start + cost.timeBudget().toNanos());
    SearchResults results = session.search(built, budget);
    if (budget.fired()) {
      throw new Unavailable(
          "the search ran past its time budget of "
              + cost.timeBudget().toMillis()
              + " ms and was stopped; make the query more specific, or try again when the"
              + " server is less busy",
          1);
    }
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
    Exchanges.sendJson(response, callback, 200, body);
  }

  /** The issue-18 settings of a search: targets, cut-offs, diversity, feedback examples. */
  private static RequestOptions options(Map<String, List<String>> p) {
    return new RequestOptions(
        Exchanges.given(p, "target"),
        Exchanges.given(p, "targetJoin"),
        Exchanges.given(p, "minScore"),
        Exchanges.given(p, "keywordMinScore"),
        Exchanges.given(p, "autocut"),
        Exchanges.given(p, "mmr"),
        "true".equals(Exchanges.given(p, "collapse")),
        Exchanges.given(p, "collapseCosine"),
        nonBlank(p, "like"),
        nonBlank(p, "unlike"),
        nonBlank(p, "likeText"),
        nonBlank(p, "unlikeText"));
  }

  private static List<String> nonBlank(Map<String, List<String>> p, String name) {
    return p.getOrDefault(name, List.of()).stream().filter(v -> !v.isBlank()).toList();
  }

  /** A deadline for Lucene that remembers whether it stopped a search. */
  private static final class Budget implements QueryTimeout {
    private final long deadline;
    private final AtomicBoolean fired = new AtomicBoolean();

    Budget(long deadline) {
      this.deadline = deadline;
    }

    @Override
    public boolean shouldExit() {
      if (System.nanoTime() - deadline > 0) {
        fired.set(true);
        return true;
      }
      return false;
    }

    boolean fired() {
      return fired.get();
    }
  }

  /**
   * The request body, already buffered by the handlers before this one (which refuse it past the
   * upload limit with 413, and fail it if it arrived too slowly).
   */
  private byte[] body(Request request) {
    try {
      return Content.Source.asByteArrayAsync(request, Math.toIntExact(maxUploadBytes + 1)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("the server is stopping", 5);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.util.concurrent.TimeoutException) {
        throw new HttpError(408, "the request body arrived too slowly");
      }
      if (cause instanceof IllegalArgumentException) {
        throw new HttpError(413, "upload is over the limit of " + maxUploadBytes + " bytes");
      }
      throw new HttpError(400, "the request body could not be read");
    }
  }

  private void image(Request request, Response response, Callback callback) throws IOException {
    requireGet(request);
    String id = Exchanges.pathRest(request, "/api/image/");
    if (id.isEmpty()) {
      throw new HttpError(404, "no document id given");
    }
    Optional<Hit> doc = session.document(id);
    if (doc.isEmpty() || doc.get().uri() == null) {
      throw new HttpError(404, "no indexed image with id '" + id + "'");
    }
    Path file;
    try {
      file = Path.of(URI.create(doc.get().uri()));
    } catch (IllegalArgumentException e) {
      throw new HttpError(404, "document '" + id + "' has no local image");
    }
    byte[] bytes;
    try {
      bytes = imageFiles.read(file);
    } catch (NoSuchFileException e) {
      throw new HttpError(404, "the image of document '" + id + "' is gone from disk");
    } catch (RefusedFileException e) {
      throw new HttpError(
          404, "the image of document '" + id + "' cannot be served: " + e.reason());
    }
    String type = probe.detectMediaType(bytes);
    if (!ImageProbe.isImage(type)) {
      throw new HttpError(404, "the file of document '" + id + "' is no longer an image");
    }
    Exchanges.send(response, callback, 200, type, bytes);
  }

  private void staticFile(Request request, Response response, Callback callback)
      throws IOException {
    requireGet(request);
    String name = STATIC_FILES.get(request.getHttpURI().getPath());
    if (name == null) {
      throw new HttpError(404, "not found: " + request.getHttpURI().getPath());
    }
    byte[] bytes;
    try (InputStream in = ApiHandler.class.getResourceAsStream(WEB + name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the build");
      }
      bytes = in.readAllBytes();
    }
    if (name.equals("index.html")) {
      // The page's mode buttons start on the default mode of the API and the command line.
      bytes =
          new String(bytes, StandardCharsets.UTF_8)
              .replace("@DEFAULT_MODE@", SearchMode.DEFAULT.name().toLowerCase(Locale.ROOT))
              .replace(
                  "@DEFAULT_TARGET@",
                  "text: "
                      + RequestOptions.DEFAULT_TEXT_TARGET
                      + " vectors, otherwise "
                      + VectorTarget.DEFAULT_SPEC
                      + " vectors")
              .replace("@DEFAULT_MMR@", Float.toString(Diversity.DEFAULT_MMR_LAMBDA))
              .getBytes(StandardCharsets.UTF_8);
    }
    String type =
        name.endsWith(".html")
            ? "text/html; charset=utf-8"
            : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    Exchanges.send(response, callback, 200, type, bytes);
  }

  private static void requireGet(Request request) {
    String m = request.getMethod();
    if (!m.equals("GET") && !m.equals("HEAD")) {
      throw HttpError.methodNotAllowed(m, "GET", "HEAD");
    }
  }
}
