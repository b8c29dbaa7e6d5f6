package io.mmsearch.lucene.search;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * A {@link ReferenceManager} whose refresh is an explicit {@link #swap}: the way to switch a
 * running application from one {@link MultimodalSearcher} (one index, one model) to another without
 * a gap, with Lucene's {@link org.apache.lucene.search.SearcherManager} semantics.
 *
 * <p>Every search {@link #acquire()}s the current reference and {@link #release}s it when done. A
 * swap makes the new reference current at once: searches that start afterwards get it, searches in
 * flight finish on the one they acquired, and the old reference is closed by the thread that
 * releases it last (or by the swap itself when nothing holds it). A reference is therefore never
 * closed while in use and never used after it is closed, and no search waits for a swap.
 *
 * <p>The managed type is anything {@link Closeable}: a {@link MultimodalSearcher} when it is all
 * there is to close, or a host's own holder that also closes what the searcher does not own (its
 * directory, its model's encoders). References are counted by identity, so {@code equals} does not
 * matter; one object must not be handed to the manager twice.
 *
 * <p>Ownership: the manager owns the initial reference and every reference given to {@link #swap}
 * from the moment of the call, also when the call fails; {@link #close()} closes the current one
 * once it is released. Thread-safe: any number of threads may acquire and release while others
 * swap; swaps are serialised.
 *
 * @param <T> the managed reference
 */
public final class SwappingReferenceManager<T extends Closeable> extends ReferenceManager<T> {

  /** Reference counts by identity; an entry leaves the map when its count reaches zero. */
  private final Map<T, AtomicInteger> counts = Collections.synchronizedMap(new IdentityHashMap<>());

  private final Object swapLock = new Object();

  /** The reference the next refresh installs; guarded by {@link #swapLock}. */
  private T pending;

  /**
   * @param initial the first current reference; owned by the manager from now on
   */
  public SwappingReferenceManager(T initial) {
    Objects.requireNonNull(initial, "initial");
    counts.put(initial, new AtomicInteger(1));
    current = initial;
  }

  /**
   * Makes {@code next} the current reference. Returns as soon as it is current; the previous one is
   * closed when its last search releases it (which may be before this returns, on this thread).
   *
   * @param next the new reference; owned by the manager from this call on, even if it fails
   * @throws AlreadyClosedException if the manager is closed ({@code next} is then closed)
   * @throws IllegalArgumentException if {@code next} is already managed here
   * @throws IOException if closing the previous reference (or, after a failure, {@code next})
   *     fails; {@code next} is current in the first case
   */
  public void swap(T next) throws IOException {
    Objects.requireNonNull(next, "next");
    synchronized (swapLock) {
      if (counts.putIfAbsent(next, new AtomicInteger(1)) != null) {
        throw new IllegalArgumentException("this reference is managed here already: " + next);
      }
      pending = next;
      try {
        maybeRefreshBlocking();
      } finally {
        if (pending != null) {
          // Not installed (the manager is closed): it is ours to close.
          pending = null;
          decRef(next);
        }
      }
    }
  }

  /** Whether {@code reference} is still open (managed and not yet closed). For tests and logs. */
  public boolean isOpen(T reference) {
    return getRefCount(reference) > 0;
  }

  @Override
  protected T refreshIfNeeded(T referenceToRefresh) {
    T next = pending;
    pending = null;
    return next;
  }

  @Override
  protected boolean tryIncRef(T reference) {
    AtomicInteger count = counts.get(reference);
    if (count == null) {
      return false;
    }
    while (true) {
      int n = count.get();
      if (n <= 0) {
        return false; // closing: the caller retries on the current reference
      }
      if (count.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  @Override
  protected void decRef(T reference) throws IOException {
    AtomicInteger count = counts.get(reference);
    if (count == null) {
      throw new IllegalStateException("released more often than acquired: " + reference);
    }
    int n = count.decrementAndGet();
    if (n == 0) {
      counts.remove(reference);
      reference.close();
    } else if (n < 0) {
      throw new IllegalStateException("released more often than acquired: " + reference);
    }
  }

  @Override
  protected int getRefCount(T reference) {
    AtomicInteger count = counts.get(reference);
    return count == null ? 0 : count.get();
  }
}
