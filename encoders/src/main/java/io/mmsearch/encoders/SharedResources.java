package io.mmsearch.encoders;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Expensive resources shared within one JVM and counted by their users: the first {@link #acquire}
 * of a key loads its resource, later ones share it, and the last {@link Lease#close()} closes it.
 * For ONNX sessions of a backbone shared by every bundle that references it, and for a Solr node's
 * models shared by all its cores.
 *
 * <p>Thread-safe. A resource is loaded under the lock, so two threads asking for the same key wait
 * for one load (the resources here take seconds and hundreds of megabytes; loading twice would be
 * the waste this class exists to avoid).
 *
 * @param <K> the key: equal keys share one resource
 * @param <V> the resource
 */
public final class SharedResources<K, V> {

  /** Loads the resource of a key; called at most once per key while it has users. */
  @FunctionalInterface
  public interface Loader<K, V> {
    V load(K key) throws IOException;
  }

  private static final class Entry<V> {
    final V value;
    int users;

    Entry(V value) {
      this.value = value;
    }
  }

  private final Consumer<? super V> closer;
  private final Map<K, Entry<V>> entries = new HashMap<>();

  /**
   * @param closer closes a resource when its last user is gone
   */
  public SharedResources(Consumer<? super V> closer) {
    this.closer = Objects.requireNonNull(closer);
  }

  /**
   * A lease on the resource of {@code key}, loading it with {@code loader} if no one holds it.
   *
   * @throws IOException what the loader throws; nothing is kept then
   */
  public Lease<V> acquire(K key, Loader<? super K, ? extends V> loader) throws IOException {
    synchronized (entries) {
      Entry<V> entry = entries.get(key);
      if (entry == null) {
        entry = new Entry<>(loader.load(key));
        entries.put(key, entry);
      }
      entry.users++;
      return new Lease<>(entry.value, () -> release(key));
    }
  }

  private void release(K key) {
    synchronized (entries) {
      Entry<V> entry = entries.get(key);
      if (entry != null && --entry.users == 0) {
        entries.remove(key);
        closer.accept(entry.value);
      }
    }
  }

  /** Number of resources loaded now (for tests and metrics). */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /**
   * One user's hold on a shared resource; closing it twice is harmless.
   *
   * @param <V> the resource
   */
  public static final class Lease<V> implements AutoCloseable {
    private final V value;
    private final Runnable release;
    private boolean closed;

    private Lease(V value, Runnable release) {
      this.value = value;
      this.release = release;
    }

    /** The shared resource; valid until this lease is closed. */
    public V get() {
      return value;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release.run();
      }
    }
  }
}
