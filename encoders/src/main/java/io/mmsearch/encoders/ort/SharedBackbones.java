package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.bundle.BackboneFile;
import io.mmsearch.encoders.image.ImageBackboneSpec;
import io.mmsearch.encoders.text.BackboneSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One session per backbone per JVM: encoders and feature extractors of every bundle that references
 * the same backbone bytes (same SHA-256, same call spec) with the same engine options share one
 * session ({@link TokenGraph} for text, {@link ImageBackboneGraph} for images), so a backbone is
 * read, hashed and loaded once however many bundles, encoders or tests use it, and is closed when
 * the last user closes.
 *
 * <p>Thread-safe.
 */
final class SharedBackbones {
  private record Key(String sha256, Object call, EngineOptions options) {}

  private record TextCall(Object graph, int dimension, int maxTokens) {}

  private static final class Entry {
    final AutoCloseable graph;
    int users;

    Entry(AutoCloseable graph) {
      this.graph = graph;
    }
  }

  @FunctionalInterface
  private interface Loader<G extends AutoCloseable> {
    G load() throws IOException;
  }

  private static final Map<Key, Entry> SESSIONS = new HashMap<>();

  private SharedBackbones() {}

  /**
   * A lease on a text backbone's session, loading it (and verifying its SHA-256) if no one holds
   * it.
   *
   * @throws io.mmsearch.encoders.bundle.InvalidBundleException if the file is altered or the graph
   *     does not match the declared inputs, output, pooling or width
   */
  static Lease<TokenGraph> acquireText(
      Path bundleDir, BackboneFile file, BackboneSpec spec, int maxTokens, EngineOptions options)
      throws IOException {
    Key key =
        new Key(spec.sha256(), new TextCall(spec.graph(), spec.dimension(), maxTokens), options);
    return acquire(
        key,
        () ->
            TokenGraph.load(
                bundleDir,
                spec.file(),
                file.readVerified(),
                spec.graph(),
                spec.dimension(),
                maxTokens,
                options));
  }

  /**
   * A lease on an image backbone's session, loading it (and verifying its SHA-256) if no one holds
   * it.
   *
   * @param size the image side the callers feed (checked once by a probe run when loading)
   * @throws io.mmsearch.encoders.bundle.InvalidBundleException if the file is altered or the graph
   *     does not have the declared input, output and width
   */
  static Lease<ImageBackboneGraph> acquireImage(
      Path bundleDir, BackboneFile file, ImageBackboneSpec spec, int size, EngineOptions options)
      throws IOException {
    ImageBackboneGraph.checkSize(bundleDir, spec, size);
    // Verified on every acquire, not only at load: an altered copy is reported even while a
    // session on the right bytes is open (hashing a few MB costs a few milliseconds).
    byte[] bytes = file.readVerified();
    Key key = new Key(spec.sha256(), spec, options);
    return acquire(key, () -> ImageBackboneGraph.load(bundleDir, spec, bytes, size, options));
  }

  private static <G extends AutoCloseable> Lease<G> acquire(Key key, Loader<G> loader)
      throws IOException {
    synchronized (SESSIONS) {
      Entry e = SESSIONS.get(key);
      if (e == null) {
        // Loading under the lock: two threads asking for the same session wait for one load.
        e = new Entry(loader.load());
        SESSIONS.put(key, e);
      }
      e.users++;
      @SuppressWarnings("unchecked")
      G graph = (G) e.graph;
      return new Lease<>(key, graph);
    }
  }

  private static void release(Key key) {
    synchronized (SESSIONS) {
      Entry e = SESSIONS.get(key);
      if (e != null && --e.users == 0) {
        SESSIONS.remove(key);
        try {
          e.graph.close();
        } catch (Exception ex) {
          throw new IllegalStateException("closing a backbone session failed", ex);
        }
      }
    }
  }

  /** Number of backbone sessions open in this JVM (for tests). */
  static int openSessions() {
    synchronized (SESSIONS) {
      return SESSIONS.size();
    }
  }

  /** One user's hold on a shared backbone session; closing it twice is harmless. */
  static final class Lease<G> implements AutoCloseable {
    private final Key key;
    private final G graph;
    private boolean closed;

    private Lease(Key key, G graph) {
      this.key = key;
      this.graph = graph;
    }

    G graph() {
      return graph;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(key);
      }
    }
  }
}
