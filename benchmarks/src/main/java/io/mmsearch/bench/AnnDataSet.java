package io.mmsearch.bench;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The data sets of {@code mmsearch bench ann}, each generated reproducibly from a seed and cached
 * by {@link VectorCache} (never committed).
 */
enum AnnDataSet {
  /**
   * 100 random unit centres plus Gaussian noise of the same norm, normalised ({@link
   * ClusteredVectors}): nearly uniform inside each cluster, high intrinsic dimension, the worst
   * case for a graph index.
   */
  HARD("hard"),
  /**
   * Image embeddings by the default model of the sample's images under seeded augmentation; queries
   * are held-out augmentations and caption embeddings ({@link RealImageVectors}).
   */
  REAL_IMAGE("real-image"),
  /**
   * A mixture of Gaussians in {@value #LOW_RANK_DIMENSION} latent dimensions embedded in the
   * model's dimension with noise ({@link LowRankVectors}).
   */
  LOW_RANK("low-rank");

  /** The stated intrinsic dimension of {@code low-rank}. */
  static final int LOW_RANK_DIMENSION = 48;

  /** Bumped when a generator changes what it produces, so that stale cache files are not reused. */
  private static final String GENERATOR_VERSION = "v1";

  /**
   * The real-image query rows: "rowwise" since each row depends on the seed and its index only (the
   * "v1" rows depended on how many were generated at once).
   */
  private static final String REAL_IMAGE_QUERIES_VERSION = "rowwise";

  private final String label;

  AnnDataSet(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  static AnnDataSet parse(String label) {
    for (AnnDataSet d : values()) {
      if (d.label.equalsIgnoreCase(label.trim()) || d.name().equalsIgnoreCase(label.trim())) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown data set '"
            + label
            + "': use "
            + Arrays.stream(values()).map(AnnDataSet::label).toList());
  }

  /** What to generate: sizes, seed, and the inputs of {@code real-image}. */
  record Request(
      int docs, int queries, int dim, long seed, Path model, Path samples, int threads) {}

  /** Documents and queries of one data set, plus how they were made. */
  record Vectors(
      AnnDataSet data,
      int dim,
      float[] docs,
      int docCount,
      float[][] queries,
      String description) {}

  /**
   * Loads the vectors from the cache, generating (and caching) what is missing.
   *
   * @throws IOException if the cache or, for {@code real-image}, the model or images fail
   */
  Vectors load(Request r, VectorCache cache) throws IOException {
    return switch (this) {
      case HARD ->
          synthetic(
              r,
              cache,
              new ClusteredVectors(r.dim(), 100, 1.0, r.seed())::sample,
              "100 random unit centres + Gaussian noise of norm 1.0, normalised");
      case LOW_RANK -> {
        int rank = Math.min(LOW_RANK_DIMENSION, r.dim());
        yield synthetic(
            r,
            cache,
            new LowRankVectors(r.dim(), rank, 1000, 0.1, r.seed())::sample,
            "1000 Gaussian clusters in "
                + rank
                + " latent dimensions, orthonormal map to "
                + r.dim()
                + " + 10% isotropic noise, normalised");
      }
      case REAL_IMAGE -> realImage(r, cache);
    };
  }

  /** A seeded synthetic set: documents from stream seed+1, queries from seed+2, both cached. */
  private Vectors synthetic(Request r, VectorCache cache, SeededSampler sampler, String description)
      throws IOException {
    String key = key(r.seed(), null);
    float[] docs =
        cache.rows(
            key + "-docs",
            r.docs(),
            r.dim(),
            (from, to) -> tail(sampler.sample(to, r.seed() + 1), from, r.dim()));
    float[] queries =
        cache.rows(
            key + "-queries",
            r.queries(),
            r.dim(),
            (from, to) -> tail(sampler.sample(to, r.seed() + 2), from, r.dim()));
    return new Vectors(
        this, r.dim(), docs, r.docs(), rows(queries, r.queries(), r.dim()), description);
  }

  /** The first {@code count} rows of a generator's seeded stream, row-major. */
  @FunctionalInterface
  private interface SeededSampler {
    float[] sample(int count, long seed);
  }

  private Vectors realImage(Request r, VectorCache cache) throws IOException {
    try (DualEncoder encoders =
        Encoders.open(EncoderCriteria.builder().bundle(r.model()).intraOpThreads(1).build())) {
      int dim = encoders.dimension();
      String key = key(r.seed(), encoders.fingerprint());
      long start = System.nanoTime();
      RealImageVectors generator =
          new RealImageVectors(encoders, AugmentedImageSet.readSources(r.samples()), r.seed());
      boolean cached = cache.has(key + "-docs", r.docs(), dim);
      float[] docs =
          cache.rows(
              key + "-docs",
              r.docs(),
              dim,
              (from, to) -> generator.documents(from, to, r.threads()));
      float[] queries =
          cache.rows(
              key + "-queries-" + REAL_IMAGE_QUERIES_VERSION,
              r.queries(),
              dim,
              (from, to) -> generator.queries(from, to, r.threads()));
      if (!cached) {
        System.err.printf(
            Locale.ROOT,
            "bench ann: encoded %d augmented images in %.0f s (cached in %s)%n",
            r.docs(),
            (System.nanoTime() - start) / 1e9,
            cache.folder());
      }
      return new Vectors(
          this,
          dim,
          docs,
          r.docs(),
          rows(queries, r.queries(), dim),
          "model "
              + encoders.bundle().descriptor().name()
              + " ("
              + encoders.fingerprint().substring(0, 12)
              + "), sample images augmented (crop, rotation, flip, colour); queries: half"
              + " held-out augmentations, half caption embeddings");
    }
  }

  private String key(long seed, String fingerprint) {
    return label
        + "-"
        + GENERATOR_VERSION
        + "-seed"
        + seed
        + (fingerprint == null ? "" : "-model" + fingerprint.substring(0, 16));
  }

  /** Rows {@code from..} of a generated block (generators that cannot start in the middle). */
  private static float[] tail(float[] rows, int from, int dim) {
    return from == 0 ? rows : Arrays.copyOfRange(rows, from * dim, rows.length);
  }

  private static float[][] rows(float[] data, int n, int dim) {
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
    }
    return out;
  }
}
