package io.mmsearch.encoders.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A bounded, thread-safe cache of query vectors, so that the same query text (or the same query
 * image) is not encoded again on every request: encoding a text costs milliseconds, a hit
 * microseconds. Backed by Caffeine (size-bounded, W-TinyLFU eviction, lock-free reads).
 *
 * <p><b>Keys</b>: the model's fingerprint, the kind (text or image), and
 *
 * <ul>
 *   <li>for text, the text as the model sees it before tokenizing: surrounding whitespace removed,
 *       and lower-cased ({@link Locale#ROOT}) when the bundle lower-cases its input. Inner
 *       whitespace and punctuation are kept (a byte-level BPE tokenizer sees them), so two texts
 *       share an entry only if the model would give them the same vector;
 *   <li>for an image, the SHA-256 of its file bytes.
 * </ul>
 *
 * <p><b>Model changes</b>: a vector of one model is never returned for another (the fingerprint is
 * part of the key), and {@link #invalidateModel} drops a model's entries when it is unloaded, so a
 * replaced model's vectors do not occupy the cache. Failed encodings are not cached. Vectors are
 * copied in and out, so callers may keep or change what they get.
 *
 * <p>Share one cache per process (a server, a Solr node) among every query path that encodes with
 * the same models; its {@link #stats()} are that process's figures.
 */
public final class QueryVectorCache {
  /** The default bound: 10,000 vectors, about 12 MB at 256 dimensions. */
  public static final long DEFAULT_MAX_ENTRIES = 10_000;

  private final Cache<Key, float[]> cache;
  private final long maxEntries;

  private record Key(String fingerprint, boolean image, String content) {}

  /**
   * @param maxEntries how many vectors the cache holds at most; 0 caches nothing (every lookup is a
   *     miss)
   */
  public QueryVectorCache(long maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must be >= 0, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
    // Maintenance (eviction) on the calling thread: the bound holds when a call returns.
    this.cache =
        Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).recordStats().build();
  }

  /**
   * The vector of {@code text}, from the cache or from {@code encode} (called with the text as
   * given, at most once per key at a time; a failure is thrown and not cached).
   *
   * @param fingerprint the model's fingerprint
   * @param lowercase whether the model lower-cases its input ({@code TextInputSpec.lowercase()})
   */
  public float[] text(
      String fingerprint, boolean lowercase, String text, Function<String, float[]> encode) {
    Objects.requireNonNull(text, "text");
    Key key = new Key(fingerprint, false, normalisedText(text, lowercase));
    return cache.get(key, k -> encode.apply(text).clone()).clone();
  }

  /**
   * The vector of an image file's bytes, from the cache or from {@code encode} (a failure is thrown
   * and not cached).
   */
  public float[] image(String fingerprint, byte[] image, Function<byte[], float[]> encode) {
    Key key = new Key(fingerprint, true, sha256(image));
    return cache.get(key, k -> encode.apply(image).clone()).clone();
  }

  /** Drops every vector of the model with this fingerprint (when it is unloaded or replaced). */
  public void invalidateModel(String fingerprint) {
    cache.asMap().keySet().removeIf(k -> k.fingerprint().equals(fingerprint));
  }

  /** The text part of a text's key (see the class documentation). */
  static String normalisedText(String text, boolean lowercase) {
    String stripped = text.strip();
    return lowercase ? stripped.toLowerCase(Locale.ROOT) : stripped;
  }

  /** Hits, misses, evictions and size since the cache was made. */
  public Stats stats() {
    CacheStats s = cache.stats();
    return new Stats(
        s.hitCount(), s.missCount(), s.evictionCount(), cache.estimatedSize(), maxEntries);
  }

  /**
   * The cache's figures.
   *
   * @param hits lookups answered from the cache
   * @param misses lookups that encoded
   * @param evictions vectors dropped to stay within the bound
   * @param entries vectors held now (Caffeine's estimate)
   * @param maxEntries the bound
   */
  public record Stats(long hits, long misses, long evictions, long entries, long maxEntries) {
    /** Hits per lookup, 0 before the first. */
    public double hitRate() {
      long lookups = hits + misses;
      return lookups == 0 ? 0 : hits / (double) lookups;
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
