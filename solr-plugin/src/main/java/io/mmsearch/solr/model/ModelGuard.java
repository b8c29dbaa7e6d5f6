package io.mmsearch.solr.model;

import io.mmsearch.encoders.bundle.ModelIdentity;
import java.lang.invoke.MethodHandles;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.solr.cloud.CloudDescriptor;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.cloud.SolrZkClient;
import org.apache.solr.common.cloud.ZkStateReader;
import org.apache.solr.common.util.Utils;
import org.apache.solr.core.SolrCore;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.SchemaField;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a core whose node runs another model than the collection was built with.
 *
 * <p>The collection's model is part of its configuration, in one of two ways:
 *
 * <ul>
 *   <li><b>pinned</b>: the plugin configuration names a {@code fingerprint} (in {@code
 *       solrconfig.xml}, usually through a property); every core compares its node's bundle with
 *       it, the first one included;
 *   <li><b>recorded</b>: in SolrCloud, the first core of a collection to load writes its bundle's
 *       fingerprint and dimension into the collection properties ({@value
 *       ModelIdentity#FINGERPRINT_KEY}, {@value ModelIdentity#DIMENSION_KEY}) in ZooKeeper, as the
 *       embedded index writes them into its commit data; every later core (replicas, restarts, new
 *       nodes) compares. The write is a compare-and-set, so two cores loading at once with
 *       different bundles cannot both win.
 * </ul>
 *
 * A mismatch fails the core load with a message naming the collection, both fingerprints and both
 * dimensions. The schema's vector fields must have the bundle's dimension, too.
 */
public final class ModelGuard {
  private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());

  private ModelGuard() {}

  /**
   * Checks {@code model} against the configuration and collection of {@code core}, recording it as
   * the collection's model if the collection has none yet.
   *
   * @param vectorFields schema fields that hold this model's vectors (must exist, be dense vector
   *     fields of the model's dimension)
   * @throws SolrException (server error) naming both models when they differ
   */
  public static void check(
      SolrCore core, SharedModel model, String pinnedFingerprint, String... vectorFields) {
    ModelIdentity node = model.identity();
    String where = "core " + core.getName();
    if (pinnedFingerprint != null && !pinnedFingerprint.equalsIgnoreCase(node.fingerprint())) {
      throw mismatch(
          where + ": the configuration pins model " + pinnedFingerprint, node, model, null);
    }
    CloudDescriptor cloud = core.getCoreDescriptor().getCloudDescriptor();
    boolean inCloud = cloud != null && core.getCoreContainer().isZooKeeperAware();
    SolrZkClient zk = inCloud ? core.getCoreContainer().getZkController().getZkClient() : null;
    String collection = inCloud ? cloud.getCollectionName() : null;
    ModelIdentity recorded = inCloud ? recorded(zk, collection) : null;
    if (recorded != null && !recorded.equals(node)) {
      throw mismatch(
          where
              + " of collection "
              + collection
              + ": the collection was built with model "
              + recorded,
          node,
          model,
          collection);
    }
    for (String field : vectorFields) {
      checkField(core, field, model);
    }
    if (inCloud && recorded == null) {
      ModelIdentity winner = record(zk, collection, node);
      if (!winner.equals(node)) {
        throw mismatch(
            where
                + " of collection "
                + collection
                + ": the collection was built with model "
                + winner,
            node,
            model,
            collection);
      }
    }
  }

  private static SolrException mismatch(
      String what, ModelIdentity node, SharedModel model, String collection) {
    return new SolrException(
        ErrorCode.SERVER_ERROR,
        "mmsearch refuses "
            + what
            + " but this node's bundle "
            + model.directory()
            + " is model "
            + node
            + (collection == null
                ? ""
                : "; install that bundle on this node, or index into a new collection"));
  }

  private static void checkField(SolrCore core, String field, SharedModel model) {
    SchemaField sf = core.getLatestSchema().getFieldOrNull(field);
    if (sf == null) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR,
          "mmsearch: core " + core.getName() + " has no schema field '" + field + "'");
    }
    if (!(sf.getType() instanceof DenseVectorField vector)) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR,
          "mmsearch: field '" + field + "' of core " + core.getName() + " is not a vector field");
    }
    if (vector.getDimension() != model.identity().dimension()) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR,
          "mmsearch: field '"
              + field
              + "' of core "
              + core.getName()
              + " has vectorDimension "
              + vector.getDimension()
              + " but the bundle "
              + model.directory()
              + " is model "
              + model.identity());
    }
  }

  private static String propsPath(String collection) {
    return ZkStateReader.COLLECTIONS_ZKNODE
        + "/"
        + collection
        + "/"
        + ZkStateReader.COLLECTION_PROPS_ZKNODE;
  }

  /** The collection's recorded model, or null if none is recorded. */
  static ModelIdentity recorded(SolrZkClient zk, String collection) {
    return recordIfAbsent(zk, collection, null);
  }

  /** Records {@code node} unless a model is recorded already; returns the recorded model. */
  static ModelIdentity record(SolrZkClient zk, String collection, ModelIdentity node) {
    return recordIfAbsent(zk, collection, node);
  }

  @SuppressWarnings("unchecked")
  private static ModelIdentity recordIfAbsent(
      SolrZkClient zk, String collection, ModelIdentity node) {
    String path = propsPath(collection);
    try {
      while (true) {
        Stat stat = new Stat();
        boolean exists = zk.exists(path, true);
        Map<String, Object> props =
            exists
                ? new LinkedHashMap<>(
                    (Map<String, Object>) Utils.fromJSON(zk.getData(path, null, stat, true)))
                : new LinkedHashMap<>();
        Optional<ModelIdentity> recorded =
            ModelIdentity.fromEntries(props, "the properties of collection " + collection);
        if (recorded.isPresent() || node == null) {
          return recorded.orElse(null);
        }
        props.putAll(node.toEntries());
        try {
          if (exists) {
            zk.setData(path, Utils.toJSON(props), stat.getVersion(), true);
          } else {
            zk.create(path, Utils.toJSON(props), CreateMode.PERSISTENT, true);
          }
          log.info("mmsearch: collection {} records model {}", collection, node);
          return node;
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException race) {
          // another core wrote first: read what it wrote
        }
      }
    } catch (KeeperException e) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR,
          "mmsearch: cannot read or record the model of collection " + collection + ": " + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SolrException(
          ErrorCode.SERVER_ERROR, "mmsearch: interrupted while checking collection " + collection);
    } catch (IllegalArgumentException e) {
      throw new SolrException(ErrorCode.SERVER_ERROR, "mmsearch: " + e.getMessage(), e);
    }
  }
}
