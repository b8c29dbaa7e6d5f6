package io.mmsearch.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorCacheTest {
  @TempDir Path dir;

  @Test
  void aSecondRequestIsServedFromDiskWithoutGenerating() throws Exception {
    VectorCache cache = new VectorCache(dir);
    float[] first = cache.rows("k", 3, 2, (from, to) -> new float[] {1, 2, 3, 4, 5, 6});
    float[] second = cache.rows("k", 3, 2, (from, to) -> fail("generated twice"));
    assertArrayEquals(first, second);
  }

  @Test
  void aSmallerRequestReadsThePrefixOfALargerFile() throws Exception {
    VectorCache cache = new VectorCache(dir);
    cache.rows("k", 4, 2, (from, to) -> new float[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertArrayEquals(
        new float[] {1, 2, 3, 4}, cache.rows("k", 2, 2, (from, to) -> fail("not cached")));
  }

  @Test
  void aLargerRequestExtendsTheLargestSmallerFile() throws Exception {
    VectorCache cache = new VectorCache(dir);
    cache.rows("k", 1, 2, (from, to) -> new float[] {1, 2});
    float[] extended =
        cache.rows(
            "k",
            3,
            2,
            (from, to) -> {
              assertEquals(1, from);
              assertEquals(3, to);
              return new float[] {3, 4, 5, 6};
            });
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, extended);
  }

  @Test
  void anotherKeyIsGeneratedOnItsOwn() throws Exception {
    VectorCache cache = new VectorCache(dir);
    cache.rows("k", 1, 2, (from, to) -> new float[] {1, 2});
    assertEquals(7f, cache.rows("other", 1, 2, (from, to) -> new float[] {7, 7})[0]);
  }
}
