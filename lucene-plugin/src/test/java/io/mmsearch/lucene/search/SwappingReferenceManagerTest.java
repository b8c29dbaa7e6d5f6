package io.mmsearch.lucene.search;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The swap semantics on a plain closeable (the example test and the server run it on real
 * searchers): current at once, in-flight users finish on the old reference, which is closed exactly
 * once, by whoever releases it last.
 */
public class SwappingReferenceManagerTest extends LuceneTestCase {

  /** A reference that knows whether it is closed and fails if used or closed after closing. */
  static final class Generation implements Closeable {
    final int number;
    final AtomicInteger closes = new AtomicInteger();

    Generation(int number) {
      this.number = number;
    }

    int use() {
      if (closes.get() > 0) {
        throw new AssertionError("generation " + number + " used after it was closed");
      }
      return number;
    }

    @Override
    public void close() {
      if (closes.incrementAndGet() != 1) {
        throw new AssertionError("generation " + number + " closed twice");
      }
    }
  }

  public void testASearchInFlightFinishesOnTheOldReferenceWhichClosesWhenItIsReleased()
      throws IOException {
    Generation first = new Generation(1);
    Generation second = new Generation(2);
    try (SwappingReferenceManager<Generation> manager = new SwappingReferenceManager<>(first)) {
      Generation inFlight = manager.acquire();

      manager.swap(second);

      assertEquals("still usable by the search that holds it", 1, inFlight.use());
      assertEquals(0, first.closes.get());
      Generation after = manager.acquire();
      assertSame("searches after the swap get the new reference", second, after);
      manager.release(after);
      manager.release(inFlight);
      assertEquals("closed by the last release", 1, first.closes.get());
      assertFalse(manager.isOpen(first));
      assertTrue(manager.isOpen(second));
    }
    assertEquals("closing the manager closes the current reference", 1, second.closes.get());
  }

  public void testAnUnusedOldReferenceIsClosedByTheSwapItself() throws IOException {
    Generation first = new Generation(1);
    try (SwappingReferenceManager<Generation> manager = new SwappingReferenceManager<>(first)) {
      manager.swap(new Generation(2));
      assertEquals(1, first.closes.get());
    }
  }

  public void testSearchesRacingWithSwapsNeverSeeAClosedReference() throws Exception {
    List<Generation> all = new CopyOnWriteArrayList<>();
    Generation initial = new Generation(0);
    all.add(initial);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger searches = new AtomicInteger();
    int swaps = atLeast(50);
    try (SwappingReferenceManager<Generation> manager = new SwappingReferenceManager<>(initial)) {
      List<Thread> searchers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread searcher =
            new Thread(
                () -> {
                  try {
                    int lastSeen = -1;
                    while (!done.get()) {
                      Generation g = manager.acquire();
                      try {
                        int seen = g.use();
                        assertTrue("never an older generation after a newer one", seen >= lastSeen);
                        lastSeen = seen;
                        Thread.yield();
                        g.use();
                      } finally {
                        manager.release(g);
                      }
                      searches.incrementAndGet();
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });
        searchers.add(searcher);
        searcher.start();
      }
      for (int i = 1; i <= swaps; i++) {
        Generation next = new Generation(i);
        all.add(next);
        manager.swap(next);
        if (random().nextBoolean()) {
          Thread.sleep(1);
        }
      }
      done.set(true);
      for (Thread t : searchers) {
        t.join();
      }
      assertEquals(failures.toString(), List.of(), failures);
      assertTrue(searches.get() > 0);
      for (Generation g : all.subList(0, all.size() - 1)) {
        assertEquals("generation " + g.number + " closed once", 1, g.closes.get());
      }
      assertEquals(0, all.get(all.size() - 1).closes.get());
    }
    assertEquals(1, all.get(all.size() - 1).closes.get());
  }

  public void testASwapOnAClosedManagerClosesTheGivenReference() throws IOException {
    SwappingReferenceManager<Generation> manager =
        new SwappingReferenceManager<>(new Generation(1));
    manager.close();
    Generation late = new Generation(2);
    expectThrows(AlreadyClosedException.class, () -> manager.swap(late));
    assertEquals("the manager owned it from the call on", 1, late.closes.get());
  }

  public void testTheCurrentReferenceCannotBeSwappedInAgain() throws IOException {
    Generation first = new Generation(1);
    try (SwappingReferenceManager<Generation> manager = new SwappingReferenceManager<>(first)) {
      IllegalArgumentException e =
          expectThrows(IllegalArgumentException.class, () -> manager.swap(first));
      assertTrue(e.getMessage(), e.getMessage().contains("managed here already"));
      assertSame(first, manager.acquire());
      manager.release(first);
      assertEquals(0, first.closes.get());
    }
  }

  public void testReleasingMoreOftenThanAcquiringIsAnError() throws IOException {
    Generation first = new Generation(1);
    try (SwappingReferenceManager<Generation> manager = new SwappingReferenceManager<>(first)) {
      Generation g = manager.acquire();
      manager.release(g);
      manager.swap(new Generation(2));
      expectThrows(IllegalStateException.class, () -> manager.release(g));
    }
  }
}
