package io.mmsearch.training.data;

import io.mmsearch.encoders.EncodingResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Captions as a frozen backbone's pooled features, for a projection head. Features come from a
 * {@link TextFeatureSource} (normally a {@link TextFeatureCache}), asked once for all new texts.
 */
public final class FeatureCaptionTable implements CaptionTable {

  private final TextFeatureSource source;
  private final Map<String, Integer> rows = new HashMap<>();
  private final List<float[]> features = new ArrayList<>();

  public FeatureCaptionTable(TextFeatureSource source) {
    this.source = source;
  }

  /** Width of the features. */
  public int dimension() {
    return source.dimension();
  }

  @Override
  public synchronized Map<String, String> prepare(Collection<String> texts) {
    List<String> todo = new ArrayList<>(new LinkedHashSet<>(texts));
    todo.removeIf(rows::containsKey);
    Map<String, String> failed = new LinkedHashMap<>();
    if (todo.isEmpty()) {
      return failed;
    }
    List<EncodingResult> results = source.featuresEach(todo);
    for (int i = 0; i < todo.size(); i++) {
      EncodingResult r = results.get(i);
      if (r.ok()) {
        rows.put(todo.get(i), features.size());
        features.add(r.vector());
      } else {
        failed.put(todo.get(i), r.error().getMessage());
      }
    }
    return failed;
  }

  @Override
  public synchronized int row(String text) {
    return rows.getOrDefault(text, -1);
  }

  @Override
  public synchronized TextBatch batch(int[] rowsOfItems) {
    int dim = source.dimension();
    float[] values = new float[rowsOfItems.length * dim];
    for (int i = 0; i < rowsOfItems.length; i++) {
      System.arraycopy(features.get(rowsOfItems[i]), 0, values, i * dim, dim);
    }
    return new TextBatch.Features(values, rowsOfItems.length, dim);
  }
}
