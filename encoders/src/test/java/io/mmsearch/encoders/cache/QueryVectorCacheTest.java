package io.mmsearch.encoders.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueryVectorCacheTest {
  private final AtomicInteger encodings = new AtomicInteger();

  private float[] encode(String text) {
    encodings.incrementAndGet();
    return new float[] {text.length(), 1};
  }

  @Test
  void aRepeatedTextIsEncodedOnceAndCountedAsAHit() {
    QueryVectorCache cache = new QueryVectorCache(10);
    float[] first = cache.text("m1", true, "a cat", this::encode);
    float[] second = cache.text("m1", true, "a cat", this::encode);
    assertArrayEquals(first, second);
    assertEquals(1, encodings.get());
    QueryVectorCache.Stats s = cache.stats();
    assertEquals(1, s.hits());
    assertEquals(1, s.misses());
    assertEquals(0.5, s.hitRate());
  }

  @Test
  void textsShareAnEntryOnlyWhenTheModelSeesThemAlike() {
    QueryVectorCache cache = new QueryVectorCache(10);
    cache.text("m1", true, "A Cat", this::encode);
    cache.text("m1", true, "  a cat ", this::encode); // lower-casing model: the same input
    assertEquals(1, encodings.get());
    cache.text("m1", false, "A Cat", this::encode); // case-keeping: another input
    cache.text("m1", false, "a  cat", this::encode); // inner whitespace is kept
    assertEquals(3, encodings.get());
  }

  @Test
  void anotherModelNeverGetsThisModelsVector() {
    QueryVectorCache cache = new QueryVectorCache(10);
    cache.text("m1", true, "cat", t -> new float[] {1, 0});
    assertArrayEquals(new float[] {0, 1}, cache.text("m2", true, "cat", t -> new float[] {0, 1}));
  }

  @Test
  void invalidatingAModelDropsOnlyItsVectors() {
    QueryVectorCache cache = new QueryVectorCache(10);
    cache.text("m1", true, "cat", this::encode);
    cache.text("m2", true, "cat", this::encode);
    cache.invalidateModel("m1");
    cache.text("m1", true, "cat", this::encode);
    cache.text("m2", true, "cat", this::encode);
    assertEquals(3, encodings.get(), "m1 encoded again, m2 still cached");
  }

  @Test
  void imagesAreKeyedByTheirBytes() {
    QueryVectorCache cache = new QueryVectorCache(10);
    AtomicInteger images = new AtomicInteger();
    cache.image("m1", new byte[] {1, 2}, b -> new float[] {images.incrementAndGet()});
    cache.image("m1", new byte[] {1, 2}, b -> new float[] {images.incrementAndGet()});
    cache.image("m1", new byte[] {1, 3}, b -> new float[] {images.incrementAndGet()});
    assertEquals(2, images.get());
  }

  @Test
  void failuresAreThrownAndNotCached() {
    QueryVectorCache cache = new QueryVectorCache(10);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            cache.text(
                "m1",
                true,
                "!",
                t -> {
                  throw new IllegalArgumentException("no words");
                }));
    cache.text("m1", true, "!", this::encode);
    assertEquals(1, encodings.get());
  }

  @Test
  void returnedVectorsAreCopies() {
    QueryVectorCache cache = new QueryVectorCache(10);
    cache.text("m1", true, "cat", this::encode)[0] = 99;
    assertEquals(3f, cache.text("m1", true, "cat", this::encode)[0]);
  }

  @Test
  void theCacheStaysWithinItsBound() {
    QueryVectorCache cache = new QueryVectorCache(5);
    for (int i = 0; i < 100; i++) {
      cache.text("m1", true, "text " + i, this::encode);
    }
    cache.text("m1", true, "text 0", this::encode); // settles pending maintenance
    assertEquals(5, cache.stats().maxEntries());
    assertEquals(true, cache.stats().entries() <= 5, "entries " + cache.stats().entries());
    assertEquals(true, cache.stats().evictions() >= 95);
  }

  @Test
  void aZeroBoundCachesNothing() {
    QueryVectorCache cache = new QueryVectorCache(0);
    cache.text("m1", true, "cat", this::encode);
    cache.text("m1", true, "cat", this::encode);
    assertEquals(2, encodings.get());
  }

  @Test
  void concurrentLookupsOfOneTextEncodeItOnce() throws Exception {
    QueryVectorCache cache = new QueryVectorCache(100);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        futures.add(pool.submit(() -> cache.text("m1", true, "cat", this::encode)));
      }
      for (Future<float[]> f : futures) {
        assertArrayEquals(new float[] {3, 1}, f.get());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(1, encodings.get());
    assertEquals(64, cache.stats().hits() + cache.stats().misses());
  }
}
