package io.mmsearch.solr.model;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.MmsearchVersion;
import io.mmsearch.encoders.SharedResources;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.solr.common.SolrException;
import org.apache.solr.core.CloseHook;
import org.apache.solr.core.SolrCore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models loaded on this node (this JVM), keyed by bundle directory, engine and threads: the
 * first core that names a bundle loads it, later cores share it, and the last core to close
 * releases it. Loading a bundle verifies its fingerprint and opens its ONNX sessions, which takes
 * about a second and tens of megabytes; doing it once per node rather than once per core is what
 * lets a node host many replicas.
 *
 * <p>Thread-safe: cores load concurrently at node start.
 */
public final class NodeModels {
  private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
  private static final SharedResources<Key, SharedModel> MODELS =
      new SharedResources<>(SharedModel::close);

  private NodeModels() {}

  private record Key(Path directory, String engine, int threads) {}

  /**
   * Loads the bundle of {@code settings} (under {@code solrHome} if relative) or shares the one
   * already loaded.
   *
   * @throws io.mmsearch.encoders.bundle.InvalidBundleException if the bundle is missing or invalid
   * @throws IOException if a file cannot be read
   */
  public static SharedResources.Lease<SharedModel> acquire(ModelSettings settings, Path solrHome)
      throws IOException {
    Key key = new Key(settings.bundleDirectory(solrHome), settings.engine(), settings.threads());
    return MODELS.acquire(key, NodeModels::load);
  }

  /**
   * The model of {@code settings} for {@code core}: acquired (loaded or shared) and given back when
   * the core closes.
   *
   * @throws SolrException (server error) naming the bundle if it cannot be loaded
   */
  public static SharedModel forCore(SolrCore core, ModelSettings settings) {
    SharedResources.Lease<SharedModel> lease;
    try {
      lease = acquire(settings, Path.of(core.getCoreContainer().getSolrHome()));
    } catch (IOException e) {
      throw new SolrException(
          SolrException.ErrorCode.SERVER_ERROR,
          "mmsearch: cannot load the model bundle: " + e.getMessage(),
          e);
    }
    core.addCloseHook(
        new CloseHook() {
          @Override
          public void postClose(SolrCore c) {
            lease.close();
          }
        });
    return lease.get();
  }

  private static SharedModel load(Key key) throws IOException {
    SharedModel model = new SharedModel(key.directory(), open(key));
    log.info(
        "mmsearch {} (Java {}): loaded model {} from {}",
        MmsearchVersion.current(),
        Runtime.version(),
        model.identity(),
        key.directory());
    return model;
  }

  private static DualEncoder open(Key key) throws IOException {
    // ImageIO finds decoder plugins (TwelveMonkeys JPEG, TIFF, WebP, ...) through the context
    // class loader; in Solr that is not the loader of the plugin jar, so register them from ours.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(NodeModels.class.getClassLoader());
    try {
      ImageIO.scanForPlugins();
      return Encoders.open(
          EncoderCriteria.builder()
              .bundle(key.directory())
              .engine(key.engine())
              .intraOpThreads(key.threads())
              .build());
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
