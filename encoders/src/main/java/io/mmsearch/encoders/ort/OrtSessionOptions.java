package io.mmsearch.encoders.ort;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.mmsearch.encoders.EngineOptions;
import java.util.Map;

/**
 * How {@link EngineOptions} become ONNX Runtime session options: intra-op threads, the optimization
 * level, the inter-op thread count ({@value #INTER_OP_THREADS}) and any session configuration entry
 * ({@value #CONFIG_PREFIX}{@code <key>}). Stateless.
 */
final class OrtSessionOptions {

  /** Property naming the inter-op thread count (parallelism across independent graph nodes). */
  static final String INTER_OP_THREADS = "ort.inter_op_threads";

  /** Properties with this prefix become session configuration entries, prefix removed. */
  static final String CONFIG_PREFIX = "ort.config.";

  private OrtSessionOptions() {}

  /**
   * New session options for {@code options}; the caller closes them.
   *
   * @throws OrtException if ONNX Runtime refuses a setting
   * @throws IllegalArgumentException if an integer property is not an integer
   */
  static OrtSession.SessionOptions of(EngineOptions options) throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      String inter = options.property(INTER_OP_THREADS, null);
      if (inter != null) {
        so.setInterOpNumThreads(integerProperty(INTER_OP_THREADS, inter));
      }
      for (Map.Entry<String, String> e : options.properties().entrySet()) {
        if (e.getKey().startsWith(CONFIG_PREFIX)) {
          so.addConfigEntry(e.getKey().substring(CONFIG_PREFIX.length()), e.getValue());
        }
      }
      so.setOptimizationLevel(
          switch (options.optimizationLevel()) {
            case NONE -> OptLevel.NO_OPT;
            case BASIC -> OptLevel.BASIC_OPT;
            case EXTENDED -> OptLevel.EXTENDED_OPT;
            case ALL -> OptLevel.ALL_OPT;
          });
      return so;
    } catch (OrtException | RuntimeException e) {
      so.close();
      throw e;
    }
  }

  /** Parses an integer engine property, naming it if it is not one. */
  static int integerProperty(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "engine property " + name + " must be an integer, got '" + value + "'", e);
    }
  }
}
