package io.mmsearch.encoders.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a bundle's weights came from, as {@code bundle.json}'s {@code provenance} records it. Every
 * field may be absent (null, or 0 for numbers) in a bundle a user brings from elsewhere.
 *
 * @param dataset a name or path of the training data
 * @param epochs number of training epochs
 * @param seed the random seed of the training run
 * @param metrics evaluation figures at export (e.g. {@code "recall@10": 0.83}); written sorted by
 *     name
 * @param created when the bundle was exported, ISO-8601 instant (e.g. {@code 2026-11-25T03:00:00Z})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
    String dataset, int epochs, long seed, Map<String, Double> metrics, String created) {

  public Provenance {
    metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metrics));
  }
}
