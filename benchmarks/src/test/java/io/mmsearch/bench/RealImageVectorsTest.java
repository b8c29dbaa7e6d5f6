package io.mmsearch.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.TinyBundles;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row {@code i} of the real-image query set depends only on the seed and {@code i}. */
class RealImageVectorsTest {
  @TempDir Path dir;
  DualEncoder encoders;
  RealImageVectors vectors;
  int dim;

  @BeforeEach
  void openATinyModelOverTwelveSamples() throws Exception {
    Path model = TinyBundles.write(dir.resolve("model"), 7, AnnBenchTest.WORDS).directory();
    Path manifest = AnnBenchTest.writeSamples(dir.resolve("samples"));
    encoders = Encoders.open(EncoderCriteria.builder().bundle(model).intraOpThreads(1).build());
    vectors = new RealImageVectors(encoders, AugmentedImageSet.readSources(manifest), 42);
    dim = encoders.dimension();
  }

  @AfterEach
  void close() {
    encoders.close();
  }

  @Test
  void anExtendedCachedQueryFileHoldsTheRowsOfAFreshGeneration() throws Exception {
    VectorCache.Generator queries = (from, to) -> vectors.queries(from, to, 2);
    VectorCache grown = new VectorCache(dir.resolve("grown"));
    grown.rows("q", 3, dim, queries);

    float[] extended = grown.rows("q", 8, dim, queries);
    float[] fresh = new VectorCache(dir.resolve("fresh")).rows("q", 8, dim, queries);

    assertArrayEquals(fresh, extended);
  }

  @Test
  void anyRangeOfRowsEqualsTheSameRowsOfALargerRange() throws Exception {
    float[] all = vectors.queries(0, 9, 1);

    assertArrayEquals(Arrays.copyOfRange(all, 0, 4 * dim), vectors.queries(0, 4, 1));
    assertArrayEquals(Arrays.copyOfRange(all, 3 * dim, 9 * dim), vectors.queries(3, 9, 2));
  }
}
