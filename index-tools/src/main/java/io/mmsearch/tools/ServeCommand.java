package io.mmsearch.tools;

import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.QueryCostLimits;
import io.mmsearch.tools.serve.SearchServer;
import io.mmsearch.tools.serve.ServerLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.lucene.index.IndexNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mmsearch serve}: the JSON API and the web page over an index. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a search page and a JSON API over an index (Ctrl-C stops it gracefully: requests in"
          + " flight finish).",
      "API: GET /api/search?q=&mode=keyword|vector|hybrid&like=&keywords=&class=&filter=&query=&fusion=rrf|linear&k=&from=&explain=true,",
      "     POST /api/search?... with an image as the body, GET /api/image/<id>, GET /api/stats",
      "Limits (defaults below) answer with 400 (query too costly), 403 (host not allowed), 408,"
          + " 413, 431 (request too slow or too large) or 503 with Retry-After (busy, or the"
          + " search ran past its time budget)."
    })
final class ServeCommand implements Callable<Integer> {

  @Mixin SearchTargetOptions target;

  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = 8080;

  @Option(
      names = "--host",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 exposes the"
              + " server to the network).")
  String host = "127.0.0.1";

  @Option(
      names = "--allowed-host",
      paramLabel = "NAME",
      description =
          "A host name clients use to reach the server, answered besides localhost, 127.0.0.1,"
              + " ::1 and the bound address; repeatable; * answers any (this disables the"
              + " protection against DNS rebinding).")
  List<String> allowedHosts = new ArrayList<>();

  @Option(
      names = "--searchable-uri",
      description = "Let queries and filters search the uri field (the images' absolute paths).")
  boolean searchableUri;

  @Option(
      names = "--max-upload",
      paramLabel = "BYTES",
      description = "Largest query image upload in bytes (default: ${DEFAULT-VALUE}).")
  long maxUpload = ServerLimits.DEFAULTS.maxUploadBytes();

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      description = "Close a connection silent for this long (default: ${DEFAULT-VALUE}).")
  long idleTimeoutSeconds = ServerLimits.DEFAULTS.idleTimeout().toSeconds();

  @Option(
      names = "--max-connections",
      description = "Open connections at most (default: ${DEFAULT-VALUE}).")
  int maxConnections = ServerLimits.DEFAULTS.maxConnections();

  @Option(
      names = "--max-concurrent",
      description =
          "API requests executing at once (default: ${DEFAULT-VALUE}, one per core, at least 2).")
  int maxConcurrent = ServerLimits.DEFAULTS.maxConcurrentRequests();

  @Option(
      names = "--max-queued",
      description = "API requests waiting for a turn; more get 503 (default: ${DEFAULT-VALUE}).")
  int maxQueued = ServerLimits.DEFAULTS.maxQueuedRequests();

  @Option(
      names = "--search-timeout",
      paramLabel = "MILLIS",
      description =
          "Time budget of one search; past it the search stops with 503 (default:"
              + " ${DEFAULT-VALUE}).")
  long searchTimeoutMillis = QueryCostLimits.DEFAULTS.timeBudget().toMillis();

  @Option(
      names = "--max-clauses",
      description = "Terms and clauses one query may hold (default: ${DEFAULT-VALUE}).")
  int maxClauses = QueryCostLimits.DEFAULTS.maxClauses();

  @Option(
      names = "--max-expanding-clauses",
      description =
          "Fuzzy, wildcard, prefix, regexp and range clauses one query may hold (default:"
              + " ${DEFAULT-VALUE}).")
  int maxExpanding = QueryCostLimits.DEFAULTS.maxExpandingClauses();

  @Override
  public Integer call() throws Exception {
    SearchSession session;
    try {
      session = target.openSession();
    } catch (IndexNotFoundException e) {
      System.err.println("mmsearch serve: no index in " + target.index);
      return 1;
    } catch (ModelMismatchException | InvalidBundleException e) {
      System.err.println("mmsearch serve: " + e.getMessage());
      return 1;
    }
    SearchServer server;
    try {
      server =
          SearchServer.builder()
              .session(session)
              .index(target.index)
              .host(host)
              .port(port)
              .allowedHosts(allowedHosts)
              .limits(
                  ServerLimits.DEFAULTS
                      .withMaxUploadBytes(maxUpload)
                      .withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                      .withMaxConnections(maxConnections)
                      .withRequestQueue(
                          maxConcurrent, maxQueued, ServerLimits.DEFAULTS.maxQueueWait()))
              .queryCost(
                  QueryCostLimits.DEFAULTS
                      .withSearchableUri(searchableUri)
                      .withTimeBudget(Duration.ofMillis(searchTimeoutMillis))
                      .withMaxClauses(maxClauses)
                      .withMaxExpandingClauses(maxExpanding))
              .onFatalError(ServeCommand::exitAfterFatalError)
              .build();
    } catch (IllegalArgumentException e) {
      session.close();
      System.err.println("mmsearch serve: " + e.getMessage());
      return 2;
    }
    try {
      server.start();
    } catch (IOException e) {
      session.close();
      System.err.println(
          "mmsearch serve: cannot listen on " + host + ":" + port + ": " + describe(e));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.println("mmsearch serve: stopping (requests in flight finish)");
                  server.stop();
                  try {
                    session.close();
                  } catch (Exception e) {
                    System.err.println("mmsearch serve: closing the index failed: " + e);
                  }
                  stopped.countDown();
                },
                "mmsearch-serve-shutdown"));
    System.err.printf(
        "mmsearch serve: %d documents; open %s (Ctrl-C to stop)%n",
        session.documents(), server.uri());
    stopped.await();
    return 0;
  }

  /**
   * After an out-of-memory (or another fatal) error nothing the server answers can be trusted: exit
   * with 70 (EX_SOFTWARE), letting the shutdown hook stop the server and close the index. From a
   * thread of its own, so the request thread that saw the error is not the one waiting.
   */
  private static void exitAfterFatalError(Error error) {
    System.err.println("mmsearch serve: fatal error, exiting: " + error);
    Thread.ofPlatform().name("mmsearch-serve-exit").start(() -> System.exit(70));
  }

  private static String describe(IOException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
