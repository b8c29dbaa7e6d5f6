package io.mmsearch.lucene;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.encode.QueryEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unit-test double of a {@link QueryEncoder}: maps each text (and each image's bytes) to a fixed
 * pseudo-random unit vector seeded by its content, so tests can compute expected vectors. The real
 * adapter over the ONNX encoders is {@link io.mmsearch.lucene.encode.BundleQueryEncoder}.
 */
public final class TestEncoders {
  private TestEncoders() {}

  /** A deterministic encoder; texts in {@code fixed} map to the given vectors. */
  public static CountingEncoder deterministic(ModelIdentity identity, Map<String, float[]> fixed) {
    return new CountingEncoder(identity, fixed);
  }

  /** The vector the deterministic encoder gives for {@code text} when it is not fixed. */
  public static float[] vectorOf(String text, int dim) {
    return RandomImageCorpus.unitVector(new Random(text.hashCode()), dim);
  }

  /** Counts encoder calls, to prove when encoding happens. */
  public static final class CountingEncoder implements QueryEncoder {
    private final ModelIdentity identity;
    private final Map<String, float[]> fixed;
    public final AtomicInteger textCalls = new AtomicInteger();
    public final AtomicInteger imageCalls = new AtomicInteger();

    CountingEncoder(ModelIdentity identity, Map<String, float[]> fixed) {
      this.identity = identity;
      this.fixed = Map.copyOf(fixed);
    }

    @Override
    public float[] encodeText(String text) {
      textCalls.incrementAndGet();
      if (text.contains("boom")) {
        throw new IllegalArgumentException("the model cannot encode '" + text + "'");
      }
      float[] v = fixed.get(text);
      return v != null ? v.clone() : vectorOf(text, identity.dimension());
    }

    @Override
    public float[] encodeImage(byte[] imageBytes) {
      imageCalls.incrementAndGet();
      return encodeTextUncounted(new String(imageBytes, StandardCharsets.ISO_8859_1));
    }

    private float[] encodeTextUncounted(String key) {
      float[] v = fixed.get(key);
      return v != null ? v.clone() : vectorOf(key, identity.dimension());
    }

    @Override
    public ModelIdentity identity() {
      return identity;
    }
  }
}
