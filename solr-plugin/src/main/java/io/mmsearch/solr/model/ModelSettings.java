package io.mmsearch.solr.model;

import io.mmsearch.encoders.Encoders;
import java.nio.file.Path;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.NamedList;

/**
 * Where a node finds its model bundle and how it runs it, as configured on a plugin in {@code
 * solrconfig.xml}:
 *
 * <pre>{@code
 * <str name="bundle">${mmsearch.bundle:mmsearch/bundle}</str>  <!-- relative: to the solr home -->
 * <str name="engine">onnxruntime</str>                          <!-- optional -->
 * <int name="threads">0</int>                                   <!-- optional: 0 = engine's choice -->
 * <str name="fingerprint">${mmsearch.model.fingerprint:}</str>  <!-- optional pin -->
 * }</pre>
 *
 * The bundle itself lives on each node's disk (a model is too large for ZooKeeper); the
 * collection's configuration records which bundle it was built with (see {@link ModelGuard}).
 *
 * @param bundle the bundle directory as configured (absolute, or relative to the solr home)
 * @param engine the encoder engine name
 * @param threads intra-op threads per model call; 0 lets the engine choose
 * @param pinnedFingerprint a fingerprint the configuration requires, or null
 */
public record ModelSettings(String bundle, String engine, int threads, String pinnedFingerprint) {

  /** Where the bundle is looked for when the configuration names none: inside the solr home. */
  public static final String DEFAULT_BUNDLE = "mmsearch/bundle";

  /** Reads the settings from a plugin's init arguments, removing the ones it reads. */
  public static ModelSettings from(NamedList<?> args) {
    String bundle = stringArg(args, "bundle", DEFAULT_BUNDLE);
    String engine = stringArg(args, "engine", Encoders.DEFAULT_ENGINE);
    String threads = stringArg(args, "threads", "0");
    String fingerprint = stringArg(args, "fingerprint", "");
    int threadCount;
    try {
      threadCount = Integer.parseInt(threads);
    } catch (NumberFormatException e) {
      throw new SolrException(
          SolrException.ErrorCode.SERVER_ERROR, "mmsearch: threads must be an integer: " + threads);
    }
    return new ModelSettings(
        bundle, engine, threadCount, fingerprint.isBlank() ? null : fingerprint.trim());
  }

  /** The bundle directory: {@link #bundle} as is if absolute, else under {@code solrHome}. */
  public Path bundleDirectory(Path solrHome) {
    Path p = Path.of(bundle);
    return (p.isAbsolute() ? p : solrHome.resolve(p)).toAbsolutePath().normalize();
  }

  private static String stringArg(NamedList<?> args, String name, String defaultValue) {
    Object v = args.remove(name);
    if (v == null) {
      return defaultValue;
    }
    String s = v.toString().trim();
    return s.isEmpty() ? defaultValue : s;
  }
}
