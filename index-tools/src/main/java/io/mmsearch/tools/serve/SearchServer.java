package io.mmsearch.tools.serve;

import io.mmsearch.tools.search.SearchSession;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server of {@code mmsearch serve}: a JSON search API and the web page, over one {@link
 * SearchSession}, on Jetty 12's core server.
 *
 * <h2>What a request goes through</h2>
 *
 * <ol>
 *   <li>The connector: request line and headers up to {@link ServerLimits#maxHeaderBytes()} (else
 *       431), at most {@link ServerLimits#maxConnections()} connections, each closed after {@link
 *       ServerLimits#idleTimeout()} without traffic. Headers are parsed by Jetty's selector threads
 *       as bytes arrive, so a client trickling them holds a connection, never a thread.
 *   <li>{@link GracefulHandler}: on {@link #stop()}, requests in flight finish (for up to {@link
 *       ServerLimits#stopGrace()}) while new ones are refused.
 *   <li>{@link GuardHandler}: the Host allow-list and the security headers.
 *   <li>{@link SizeLimitHandler}: bodies over {@link ServerLimits#maxUploadBytes()} get 413.
 *   <li>{@link MinimumDataRateHandler}: a body slower than {@link
 *       ServerLimits#minUploadBytesPerSecond()} fails (408).
 *   <li>A {@link QoSHandler} for uploads: at most {@link ServerLimits#maxConcurrentUploads()}
 *       bodies arriving at once; then {@link EagerContentHandler} buffers the whole body without a
 *       thread, so the search queue below only ever holds requests that are ready to run.
 *   <li>A {@link QoSHandler} for the API: at most {@link ServerLimits#maxConcurrentRequests()}
 *       requests execute, {@link ServerLimits#maxQueuedRequests()} wait up to {@link
 *       ServerLimits#maxQueueWait()}; beyond that, 503 with {@code Retry-After}.
 *   <li>{@link ApiHandler}: the endpoints, with the {@link QueryCostLimits} checked before a search
 *       runs and its time budget enforced while it runs.
 * </ol>
 *
 * Errors Jetty raises itself are written by {@link JsonErrorHandler}, in the API's JSON shape.
 *
 * <p>Security otherwise: binds to {@code 127.0.0.1} unless told otherwise; uploads must really be
 * images (415 otherwise, by content); {@code /api/image/<id>} serves only the file of an indexed
 * document, found by id through the index, so no request path ever becomes a file path; static
 * files come from a fixed list of class path resources; the {@code uri} field is not searchable
 * unless configured; error bodies never carry exception names or paths (a 500 carries an incident
 * id, the log the details).
 *
 * <p>Lifecycle: {@link #start()} then {@link #stop()}, again as often as wanted; a failed start
 * leaves nothing running. The session is not owned: the caller closes it after {@link #stop()}
 * returns (no refresh runs then). A request that runs into a fatal {@link Error} stops the server
 * unless {@link Builder#onFatalError} says otherwise. The index is re-opened every {@link
 * Builder#refreshInterval} if a newer commit exists, so a concurrent {@code mmsearch index} run
 * shows up without a restart. Thread-safe.
 */
public final class SearchServer {
  private static final Logger LOG = Logger.getLogger(SearchServer.class.getName());
  private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");

  /**
   * The default cap on {@code max(k, from + size)} of one search: 1,000 hits, about 4,000 HNSW
   * candidates at the default oversample (a few milliseconds on the sample; a request past it gets
   * 400 naming the limit).
   */
  public static final int DEFAULT_MAX_WINDOW = 1000;

  private final SearchSession session;
  private final Path indexDir;
  private final String host;
  private final int requestedPort;
  private final int maxWindow;
  private final Duration refreshInterval;
  private final ServerLimits limits;
  private final QueryCostLimits queryCost;
  private final Set<String> allowedHosts;
  private final Consumer<Error> onFatalError;
  private Server server;
  private ServerConnector connector;
  private ScheduledExecutorService refresher;

  private SearchServer(Builder b) {
    this.session = Objects.requireNonNull(b.session, "session");
    this.indexDir = Objects.requireNonNull(b.indexDir, "index");
    this.host = b.host;
    this.requestedPort = b.port;
    this.maxWindow = b.maxWindow;
    this.refreshInterval = b.refreshInterval;
    this.limits = b.limits;
    this.queryCost = b.queryCost;
    this.onFatalError = b.onFatalError != null ? b.onFatalError : error -> stopInBackground();
    Set<String> hosts = new LinkedHashSet<>(LOOPBACK_NAMES);
    if (!host.equals("0.0.0.0") && !host.equals("::")) {
      hosts.add(GuardHandler.hostName(host.contains(":") ? "[" + host + "]" : host));
    }
    b.allowedHosts.forEach(h -> hosts.add(h.equals("*") ? "*" : GuardHandler.hostName(h)));
    this.allowedHosts = Set.copyOf(hosts);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Stops from another thread: a request thread cannot wait for the requests in flight. */
  private void stopInBackground() {
    Thread.ofPlatform().name("mmsearch-fatal-stop").start(this::stop);
  }

  /**
   * Binds and starts serving; returns at once. If it fails (the port is taken, the address cannot
   * be bound) nothing is left running and the server can be started again.
   *
   * @throws IOException naming the address if the server cannot start
   * @throws IllegalStateException if it is running already
   */
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    // Enough threads for the selectors, the queued-request bookkeeping and the executing requests;
    // requests beyond the API limit wait in the QoS queue, not for a thread.
    QueuedThreadPool threads =
        new QueuedThreadPool(Math.max(16, 4 * limits.maxConcurrentRequests() + 8), 4);
    threads.setName("mmsearch-http");
    Server jetty = new Server(threads);
    jetty.setStopTimeout(limits.stopGrace().toMillis());
    jetty.setErrorHandler(new JsonErrorHandler());

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Ids may contain '/': the page asks for /api/image/red%2Fsquare.png, which the default
    // compliance refuses as an ambiguous path separator. The id is decoded as one segment.
    http.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "mmsearch-ids", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    ServerConnector bound = new ServerConnector(jetty, new HttpConnectionFactory(http));
    bound.setHost(host);
    bound.setPort(requestedPort);
    bound.setIdleTimeout(limits.idleTimeout().toMillis());
    jetty.addConnector(bound);
    jetty.addBean(new ConnectionLimit(limits.maxConnections(), jetty));
    jetty.setHandler(handlers());
    try {
      jetty.start();
    } catch (Exception e) {
      stopQuietly(jetty);
      throw e instanceof IOException io
          ? io
          : new IOException("cannot start the server on " + host + ":" + requestedPort, e);
    }
    // Only a started server is remembered: a failed start leaves nothing to stop or to refuse.
    server = jetty;
    connector = bound;
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("mmsearch-refresh").unstarted(r));
    long every = refreshInterval.toMillis();
    refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
  }

  private Handler handlers() {
    ApiHandler api = new ApiHandler(session, indexDir, maxWindow, limits, queryCost, this::fatal);

    QoSHandler searches = new QoSHandler(api);
    searches.includePath("/api/*");
    searches.setMaxRequestCount(limits.maxConcurrentRequests());
    searches.setMaxSuspendedRequestCount(limits.maxQueuedRequests());
    searches.setMaxSuspend(limits.maxQueueWait());

    long retained = limits.maxUploadBytes() + limits.maxUploadBytes() / 64 + 4096;
    EagerContentHandler bodies =
        new EagerContentHandler(
            searches, new EagerContentHandler.RetainedContentLoaderFactory(retained, -1, true));

    QoSHandler uploads = new QoSHandler(bodies);
    uploads.includeMethod("POST", "PUT");
    uploads.setMaxRequestCount(limits.maxConcurrentUploads());
    uploads.setMaxSuspendedRequestCount(limits.maxQueuedRequests());
    uploads.setMaxSuspend(limits.maxQueueWait());

    MinimumDataRateHandler rate =
        new MinimumDataRateHandler(uploads, limits.minUploadBytesPerSecond(), 0);
    SizeLimitHandler size = new SizeLimitHandler(limits.maxUploadBytes(), -1);
    size.setHandler(rate);
    return new GracefulHandler(new GuardHandler(size, allowedHosts));
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The page's address. */
  public URI uri() {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    h = h.contains(":") ? "[" + h + "]" : h;
    return URI.create("http://" + h + ":" + port() + "/");
  }

  /** The host names (and addresses) this server answers to; "*" for any. */
  public Set<String> allowedHosts() {
    return allowedHosts;
  }

  /**
   * Stops gracefully: no new connections or requests, those in flight finish for up to {@link
   * ServerLimits#stopGrace()}, then everything is closed; a refresh of the index in progress is
   * waited for (not interrupted), so the caller may close the session as soon as this returns.
   * Returns when all of it is done. Does nothing if the server is not running.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    refresher.shutdown(); // no further refresh; one in progress runs to its end
    stopQuietly(server);
    try {
      if (!refresher.awaitTermination(limits.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warning("a refresh of the index is still running after " + limits.stopGrace());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
    connector = null;
    refresher = null;
  }

  /** Whether the server is running (started and not stopped). */
  public synchronized boolean isRunning() {
    return server != null;
  }

  private static void stopQuietly(Server jetty) {
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "stopping the server failed", e);
    }
  }

  /**
   * A request ran into an {@link Error} other than a stack overflow (an {@link OutOfMemoryError}, a
   * linkage or internal error): the JVM may be in a state no answer can be trusted from. The
   * handler is told (by default the server stops), and the error goes on to Jetty, which fails the
   * request.
   */
  private void fatal(Error error) {
    LOG.log(Level.SEVERE, "fatal error while serving a request", error);
    try {
      onFatalError.accept(error);
    } catch (RuntimeException | Error e) {
      error.addSuppressed(e);
    }
  }

  private void refresh() {
    try {
      session.refresh();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not refresh the index", e);
    }
  }

  /** Options of a {@link SearchServer}. Not thread-safe. */
  public static final class Builder {
    private SearchSession session;
    private Path indexDir;
    private String host = "127.0.0.1";
    private int port = 8080;
    private int maxWindow = DEFAULT_MAX_WINDOW;
    private Duration refreshInterval = Duration.ofSeconds(5);
    private ServerLimits limits = ServerLimits.DEFAULTS;
    private QueryCostLimits queryCost = QueryCostLimits.DEFAULTS;
    private final Set<String> allowedHosts = new LinkedHashSet<>();
    private Consumer<Error> onFatalError;

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
      this.host = Objects.requireNonNull(host).strip().toLowerCase(Locale.ROOT);
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

    /** Largest accepted upload in bytes; default 10 MiB. Shorthand for the same limit. */
    public Builder maxUploadBytes(long maxUploadBytes) {
      this.limits = limits.withMaxUploadBytes(maxUploadBytes);
      return this;
    }

    /**
     * The deepest result window a search may read, {@code max(k, from + size)}; default {@link
     * #DEFAULT_MAX_WINDOW}. It bounds deep paging too: HNSW fetches about {@code window ·
     * oversample} candidates, so page 100 of 10 costs what a request for 1,000 hits costs.
     */
    public Builder maxWindow(int maxWindow) {
      if (maxWindow < 1) {
        throw new IllegalArgumentException("maxWindow must be >= 1, got " + maxWindow);
      }
      this.maxWindow = maxWindow;
      return this;
    }

    /** How often the index is checked for a newer commit; default 5 seconds. */
    public Builder refreshInterval(Duration interval) {
      if (interval.toMillis() < 1) {
        throw new IllegalArgumentException("refresh interval must be at least 1 ms");
      }
      this.refreshInterval = interval;
      return this;
    }

    /** Transport limits; default {@link ServerLimits#DEFAULTS}. */
    public Builder limits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /** What one search may cost; default {@link QueryCostLimits#DEFAULTS}. */
    public Builder queryCost(QueryCostLimits queryCost) {
      this.queryCost = Objects.requireNonNull(queryCost);
      return this;
    }

    /**
     * Host names (as clients type them in the address bar) answered besides the loopback names and
     * the bound address; {@code "*"} answers any name.
     */
    public Builder allowedHosts(List<String> hosts) {
      hosts.forEach(h -> allowedHosts.add(h.strip().toLowerCase(Locale.ROOT)));
      return this;
    }

    /**
     * What happens after a request ran into a fatal {@link Error} (out of memory, a linkage or
     * internal error; not a stack overflow, which unwinds cleanly and is answered with a 500);
     * called on the request's thread, after the error is logged. Default: the server stops (in the
     * background), as nothing it answers afterwards can be trusted. {@code mmsearch serve} exits.
     */
    public Builder onFatalError(Consumer<Error> handler) {
      this.onFatalError = Objects.requireNonNull(handler);
      return this;
    }

    public SearchServer build() {
      return new SearchServer(this);
    }
  }
}
