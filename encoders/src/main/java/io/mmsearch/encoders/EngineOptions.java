package io.mmsearch.encoders;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Engine-neutral settings an {@link EncoderEngine} receives with the bundle. Engines honour what
 * applies to them and ignore the rest.
 *
 * <p>Immutable and thread-safe.
 *
 * @param intraOpThreads threads one graph call may use; 0 lets the engine choose (usually one per
 *     core)
 * @param optimizationLevel how much the engine may rewrite the graph
 * @param properties engine-specific settings by name (for example {@code "ort.inter_op_threads"});
 *     an engine documents the names it reads
 */
public record EngineOptions(
    int intraOpThreads, OptimizationLevel optimizationLevel, Map<String, String> properties) {

  public EngineOptions {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
    }
    Objects.requireNonNull(optimizationLevel, "optimizationLevel");
    properties = Map.copyOf(new TreeMap<>(Objects.requireNonNull(properties, "properties")));
  }

  /** Engine-chosen threads, {@link OptimizationLevel#ALL}, no properties. */
  public static EngineOptions defaults() {
    return new EngineOptions(0, OptimizationLevel.ALL, Map.of());
  }

  /** The property {@code name}, or {@code defaultValue} if it is not set. */
  public String property(String name, String defaultValue) {
    return properties.getOrDefault(name, defaultValue);
  }
}
