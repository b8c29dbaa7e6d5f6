package io.mmsearch.tools;

import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.cache.QueryVectorCache;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.QueryCostLimits;
import io.mmsearch.tools.serve.SearchServer;
import io.mmsearch.tools.serve.ServerLimits;
import java.io.IOException;
import java.nio.file.Path;
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
      "API: GET /api/search?q=&mode=keyword|vector|hybrid&like=&keywords=&class=&filter=&query=&fusion=rrf|linear&k=&from=&explain=true&model=,",
      "     POST /api/search?... with an image as the body, GET /api/image/<id>, GET /api/stats,",
      "     GET /api/models; from this machine: POST /api/admin/swap, POST /api/admin/shadow"
          + " (JSON body).",
      "Models: --shadow-index/--shadow-model serve a second index built with another model,"
          + " answering ?model=<bundle name or fingerprint>; POST /api/admin/swap with {} (or"
          + " kill -USR2 <pid>) makes it live atomically, requests in flight finish on the old"
          + " one; swapping again rolls back.",
      "Limits (defaults below) answer with 400 (query too costly), 403 (host not allowed), 408,"
          + " 413, 431 (request too slow or too large) or 503 with Retry-After (busy, or the"
          + " search ran past its time budget)."
    })
final class ServeCommand implements Callable<Integer> {

  @Mixin SearchTargetOptions target;

  @Option(
      names = "--shadow-index",
      paramLabel = "DIR",
      description = "A second index, built with another model (e.g. by mmsearch reindex).")
  Path shadowIndex;

  @Option(
      names = "--shadow-model",
      paramLabel = "BUNDLE",
      description = "The model bundle the shadow index was built with.")
  Path shadowModel;

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

  @Option(
      names = "--query-cache",
      paramLabel = "ENTRIES",
      description =
          "Query vectors kept so a repeated text or image is not encoded again; 0 turns the cache"
              + " off (default: ${DEFAULT-VALUE}). Figures in /api/stats.")
  long queryCacheEntries = QueryVectorCache.DEFAULT_MAX_ENTRIES;

  @Override
  public Integer call() throws Exception {
    if (queryCacheEntries < 0) {
      System.err.println("mmsearch serve: --query-cache must be >= 0, got " + queryCacheEntries);
      return 2;
    }
    if ((shadowIndex == null) != (shadowModel == null)) {
      System.err.println("mmsearch serve: give --shadow-index and --shadow-model together");
      return 2;
    }
    SearchSession session = open(target.index, target.model, queryCacheEntries);
    if (session == null) {
      return 1;
    }
    SearchSession shadow = null;
    if (shadowIndex != null) {
      shadow = open(shadowIndex, shadowModel, queryCacheEntries);
      if (shadow == null) {
        session.close();
        return 1;
      }
    }
    SearchSession shadowSession = shadow;
    SearchServer server;
    try {
      SearchServer.Builder builder = SearchServer.builder();
      if (shadowSession != null) {
        builder.shadow(shadowSession, shadowIndex);
      }
      server =
          builder
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
      closeAll(session, shadowSession);
      System.err.println("mmsearch serve: " + e.getMessage());
      return 2;
    }
    try {
      server.start();
    } catch (IOException e) {
      closeAll(session, shadowSession);
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
                    closeAll(session, shadowSession);
                  } catch (Exception e) {
                    System.err.println("mmsearch serve: closing the index failed: " + e);
                  }
                  stopped.countDown();
                },
                "mmsearch-serve-shutdown"));
    swapOnSignal(server);
    System.err.printf(
        "mmsearch serve: %d documents, model %s (%s); open %s (Ctrl-C to stop)%n",
        session.documents(),
        session.encoders().bundle().name(),
        session.modelIdentity().fingerprint().substring(0, 12),
        server.uri());
    if (shadowSession != null) {
      System.err.printf(
          "mmsearch serve: shadow: %d documents, model %s (%s), answering ?model=; swap with"
              + " curl -X POST -H 'Content-Type: application/json' -d '{}' %sapi/admin/swap or"
              + " kill -USR2 %d%n",
          shadowSession.documents(),
          shadowSession.encoders().bundle().name(),
          shadowSession.modelIdentity().fingerprint().substring(0, 12),
          server.uri(),
          ProcessHandle.current().pid());
    }
    stopped.await();
    return 0;
  }

  /** Opens an index with its bundle, or says why not and returns null. */
  private static SearchSession open(Path index, Path bundle, long queryCacheEntries)
      throws IOException {
    try {
      return SearchSession.open(index, bundle, queryCacheEntries);
    } catch (IndexNotFoundException e) {
      System.err.println("mmsearch serve: no index in " + index);
    } catch (ModelMismatchException | InvalidBundleException e) {
      System.err.println("mmsearch serve: " + e.getMessage());
    }
    return null;
  }

  private static void closeAll(SearchSession live, SearchSession shadow) throws IOException {
    try {
      live.close();
    } finally {
      if (shadow != null) {
        shadow.close();
      }
    }
  }

  /**
   * {@code kill -USR2 <pid>} exchanges the live and the shadow index, like {@code POST
   * /api/admin/swap}. SIGUSR2 is free in the JVM (SIGHUP would take over the terminal's hang-up).
   */
  private static void swapOnSignal(SearchServer server) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("USR2"),
          signal -> {
            try {
              server.swapModels();
              System.err.println("mmsearch serve: SIGUSR2: live and shadow index swapped");
            } catch (Exception e) {
              System.err.println("mmsearch serve: SIGUSR2: no swap: " + e.getMessage());
            }
          });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      System.err.println("mmsearch serve: swapping on SIGUSR2 is not available here: " + e);
    }
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
