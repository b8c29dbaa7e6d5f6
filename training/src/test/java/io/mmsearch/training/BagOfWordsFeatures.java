package io.mmsearch.training;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.training.data.TextFeatureSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double of a frozen backbone: each word hashes to a fixed random direction and a text's
 * features are the mean of its words' directions, so texts sharing words get similar features.
 * Counts the texts it is asked for. The real backbone (MiniLM) is used by the integration tests.
 */
public final class BagOfWordsFeatures implements TextFeatureSource {

  private final int dimension;
  private final AtomicInteger computed = new AtomicInteger();

  public BagOfWordsFeatures(int dimension) {
    this.dimension = dimension;
  }

  /** How many texts were encoded so far. */
  public int computed() {
    return computed.get();
  }

  @Override
  public String cacheKey() {
    return "bag-of-words/" + dimension;
  }

  @Override
  public String backboneSha256() {
    return "0".repeat(64);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public List<EncodingResult> featuresEach(List<String> texts) {
    List<EncodingResult> out = new ArrayList<>();
    for (String text : texts) {
      computed.incrementAndGet();
      String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
      float[] v = new float[dimension];
      int n = 0;
      for (String w : words) {
        if (w.isEmpty()) {
          continue;
        }
        java.util.Random r = new java.util.Random(w.hashCode());
        for (int d = 0; d < dimension; d++) {
          v[d] += (float) r.nextGaussian();
        }
        n++;
      }
      if (n == 0) {
        out.add(EncodingResult.failed(new EncodingException("no words in \"" + text + "\"")));
        continue;
      }
      for (int d = 0; d < dimension; d++) {
        v[d] /= n;
      }
      out.add(EncodingResult.of(v));
    }
    return out;
  }
}
