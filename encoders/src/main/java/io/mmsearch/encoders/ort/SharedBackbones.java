package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.bundle.BackboneFile;
import io.mmsearch.encoders.text.BackboneSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One session per backbone per JVM: encoders and feature extractors of every bundle that references
 * the same backbone bytes (same SHA-256, same call spec) with the same engine options share one
 * {@link TokenGraph}, so a 90 MB backbone is read, hashed and loaded once however many bundles,
 * encoders or tests use it, and is closed when the last user closes.
 *
 * <p>Thread-safe.
 */
final class SharedBackbones {
  private record Key(String sha256, Object graph, int dimension, int maxTokens, EngineOptions o) {}

  private static final class Entry {
    final TokenGraph graph;
    int users;

    Entry(TokenGraph graph) {
      this.graph = graph;
    }
  }

  private static final Map<Key, Entry> SESSIONS = new HashMap<>();

  private SharedBackbones() {}

  /**
   * A lease on the backbone's session, loading it (and verifying its SHA-256) if no one holds it.
   *
   * @throws io.mmsearch.encoders.bundle.InvalidBundleException if the file is altered or the graph
   *     does not match the declared inputs, output, pooling or width
   */
  static Lease acquire(Path bundleDir, BackboneFile file, int maxTokens, EngineOptions options)
      throws IOException {
    BackboneSpec spec = file.spec();
    Key key = new Key(spec.sha256(), spec.graph(), spec.dimension(), maxTokens, options);
    synchronized (SESSIONS) {
      Entry e = SESSIONS.get(key);
      if (e == null) {
        // Loading under the lock: two threads asking for the same 90 MB session wait for one load.
        TokenGraph graph =
            TokenGraph.load(
                bundleDir,
                spec.file(),
                file.readVerified(),
                spec.graph(),
                spec.dimension(),
                maxTokens,
                options);
        e = new Entry(graph);
        SESSIONS.put(key, e);
      }
      e.users++;
      return new Lease(key, e.graph);
    }
  }

  private static void release(Key key) {
    synchronized (SESSIONS) {
      Entry e = SESSIONS.get(key);
      if (e != null && --e.users == 0) {
        SESSIONS.remove(key);
        e.graph.close();
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
  static final class Lease implements AutoCloseable {
    private final Key key;
    private final TokenGraph graph;
    private boolean closed;

    private Lease(Key key, TokenGraph graph) {
      this.key = key;
      this.graph = graph;
    }

    TokenGraph graph() {
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
