package io.mmsearch.solr.model;

import io.mmsearch.encoders.Encoders;
import io.mmsearch.solr.config.PluginArgs;
import java.nio.file.Path;
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
    String bundle = PluginArgs.string(args, "bundle", DEFAULT_BUNDLE);
    String engine = PluginArgs.string(args, "engine", Encoders.DEFAULT_ENGINE);
    int threads = PluginArgs.integer(args, "threads", 0);
    String fingerprint = PluginArgs.string(args, "fingerprint", null);
    return new ModelSettings(bundle, engine, threads, fingerprint);
  }

  /** The bundle directory: {@link #bundle} as is if absolute, else under {@code solrHome}. */
  public Path bundleDirectory(Path solrHome) {
    Path p = Path.of(bundle);
    return (p.isAbsolute() ? p : solrHome.resolve(p)).toAbsolutePath().normalize();
  }
}
