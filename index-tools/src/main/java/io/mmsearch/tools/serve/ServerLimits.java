package io.mmsearch.tools.serve;

import java.time.Duration;
import java.util.Objects;

/**
 * The transport limits of {@code mmsearch serve}: what any one client, and all of them together,
 * can hold of the server. The defaults are printed by {@code mmsearch serve --help} and documented
 * in {@code docs/reliability.md}.
 *
 * <ul>
 *   <li>{@link #idleTimeout()}: a connection that sends or reads nothing for this long is closed,
 *       whatever it is doing (reading headers, a body, or waiting between requests).
 *   <li>{@link #maxHeaderBytes()}: request line plus headers; a longer request is refused with 431
 *       before it reaches a handler.
 *   <li>{@link #maxUploadBytes()}: request body; a longer one is refused with 413 (by its
 *       Content-Length before a byte is read, or as soon as it grows past the limit).
 *   <li>{@link #maxUploadPixels()}: width x height a query image may declare; a larger one is
 *       refused with 413 from its header, before any pixel is decoded (indexing decodes large
 *       images subsampled, but on a server that would let one small upload cost seconds of CPU).
 *   <li>{@link #minUploadBytesPerSecond()}: a body that arrives slower than this on average fails
 *       with 408, so a client trickling an upload cannot keep its buffer forever.
 *   <li>{@link #maxConnections()}: open connections; past it the server stops accepting until one
 *       closes (and idles connections out sooner).
 *   <li>{@link #maxConcurrentRequests()} and {@link #maxQueuedRequests()}: API requests executing
 *       at once, and waiting for a turn; a request that finds the queue full, or waits longer than
 *       {@link #maxQueueWait()}, gets 503 with {@code Retry-After}.
 *   <li>{@link #maxConcurrentUploads()}: request bodies being received at once (each buffered up to
 *       {@link #maxUploadBytes()} before its search is queued, so a slow upload never holds a
 *       search slot); more wait in the same kind of queue.
 *   <li>{@link #stopGrace()}: how long stopping waits for requests in flight.
 * </ul>
 *
 * Immutable.
 */
public record ServerLimits(
    Duration idleTimeout,
    int maxHeaderBytes,
    long maxUploadBytes,
    long maxUploadPixels,
    long minUploadBytesPerSecond,
    int maxConnections,
    int maxConcurrentRequests,
    int maxQueuedRequests,
    Duration maxQueueWait,
    int maxConcurrentUploads,
    Duration stopGrace) {

  /**
   * 30 s idle, 16 KiB of headers, 10 MiB uploads of at most 40 megapixels at 4 KiB/s or faster, 256
   * connections, one search per core (at least 2) with 64 waiting up to 10 s, 16 uploads at once,
   * 10 s to drain on stop.
   */
  public static final ServerLimits DEFAULTS =
      new ServerLimits(
          Duration.ofSeconds(30),
          16 * 1024,
          10L << 20,
          40_000_000L,
          4 * 1024,
          256,
          Math.max(2, Runtime.getRuntime().availableProcessors()),
          64,
          Duration.ofSeconds(10),
          16,
          Duration.ofSeconds(10));

  public ServerLimits {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(maxQueueWait, "maxQueueWait");
    Objects.requireNonNull(stopGrace, "stopGrace");
    positive("idle timeout", idleTimeout.toMillis());
    positive("header size", maxHeaderBytes);
    positive("upload size", maxUploadBytes);
    positive("upload pixels", maxUploadPixels);
    if (minUploadBytesPerSecond < 0) {
      throw new IllegalArgumentException("the upload rate must not be negative");
    }
    positive("connections", maxConnections);
    positive("concurrent requests", maxConcurrentRequests);
    if (maxQueuedRequests < 0 || stopGrace.isNegative()) {
      throw new IllegalArgumentException("the queue and the stop grace must not be negative");
    }
    positive("queue wait", maxQueueWait.toMillis());
    positive("concurrent uploads", maxConcurrentUploads);
  }

  private static void positive(String what, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("the " + what + " limit must be positive, got " + value);
    }
  }

  public ServerLimits withIdleTimeout(Duration d) {
    return new ServerLimits(
        d,
        maxHeaderBytes,
        maxUploadBytes,
        maxUploadPixels,
        minUploadBytesPerSecond,
        maxConnections,
        maxConcurrentRequests,
        maxQueuedRequests,
        maxQueueWait,
        maxConcurrentUploads,
        stopGrace);
  }

  public ServerLimits withMaxUploadBytes(long n) {
    return new ServerLimits(
        idleTimeout,
        maxHeaderBytes,
        n,
        maxUploadPixels,
        minUploadBytesPerSecond,
        maxConnections,
        maxConcurrentRequests,
        maxQueuedRequests,
        maxQueueWait,
        maxConcurrentUploads,
        stopGrace);
  }

  public ServerLimits withMaxConnections(int n) {
    return new ServerLimits(
        idleTimeout,
        maxHeaderBytes,
        maxUploadBytes,
        maxUploadPixels,
        minUploadBytesPerSecond,
        n,
        maxConcurrentRequests,
        maxQueuedRequests,
        maxQueueWait,
        maxConcurrentUploads,
        stopGrace);
  }

  /** Requests executing at once, requests waiting, and how long one may wait. */
  public ServerLimits withRequestQueue(int concurrent, int queued, Duration wait) {
    return new ServerLimits(
        idleTimeout,
        maxHeaderBytes,
        maxUploadBytes,
        maxUploadPixels,
        minUploadBytesPerSecond,
        maxConnections,
        concurrent,
        queued,
        wait,
        maxConcurrentUploads,
        stopGrace);
  }
}
