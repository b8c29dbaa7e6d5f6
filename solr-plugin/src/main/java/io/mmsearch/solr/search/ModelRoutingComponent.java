package io.mmsearch.solr.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.solr.cloud.CloudDescriptor;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.cloud.ZkStateReader;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.StrUtils;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an mmsearch request on collections of the model that encodes it. The coordinating core
 * encodes the query with its own collection's model ({@link MultimodalSearchComponent}); the shards
 * a request goes to, though, come from its {@code collection} parameter when it has one, which a
 * client sets from its view of the aliases. While an alias is moved to a collection of another
 * model (docs/solr.md, "Changing the model"), a request can reach a core of the old collection
 * naming the new one: its vector would go to shards that index another model's vectors. This
 * component, placed before {@code mmsearch}, compares the models the collections record ({@link
 * io.mmsearch.solr.model.ModelGuard}):
 *
 * <ul>
 *   <li>every named collection has this core's model: nothing changes;
 *   <li>none has it: the request was routed to this core while the name moved; it is answered by
 *       this core's own collection, whole and consistent (like a search in flight finishing on the
 *       index it started on), and the response header says so ({@value #ANSWERED_BY});
 *   <li>some have it and some do not: the request is refused (400) naming the collections and
 *       models, since vectors of two models cannot be ranked together.
 * </ul>
 *
 * Only requests with a vector part ({@code mmsearch.*} parameters or an uploaded image) are
 * checked; a keyword-only request may span models.
 */
public class ModelRoutingComponent extends SearchComponent {
  private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());

  /** The name the configset registers this component under. */
  public static final String COMPONENT_NAME = "mmsearch-routing";

  /** Response header entry naming the collection that answered instead of the requested ones. */
  public static final String ANSWERED_BY = "mmsearch.answeredBy";

  /** How long a collection's recorded model is taken from Solr's cache of collection properties. */
  private static final long PROPERTIES_CACHE_MILLIS = 60_000;

  @Override
  public void prepare(ResponseBuilder rb) throws IOException {
    SolrParams params = rb.req.getParams();
    CloudDescriptor cloud = rb.req.getCore().getCoreDescriptor().getCloudDescriptor();
    String named = params.get("collection");
    if (!rb.isDistributed()
        || cloud == null
        || named == null
        || params.getBool(ShardParams.IS_SHARD, false)
        || params.get(ShardParams.SHARDS) != null
        || !hasVectorPart(rb)) {
      return;
    }
    String own = cloud.getCollectionName();
    List<String> targets = StrUtils.splitSmart(named, ",", true);
    if (targets.size() == 1 && targets.get(0).equals(own)) {
      return;
    }
    CoreContainer container = rb.req.getCoreContainer();
    ZkStateReader zk = container.getZkController().getZkStateReader();
    Optional<ModelIdentity> ownModel = recorded(zk, own);
    if (ownModel.isEmpty()) {
      return; // nothing recorded yet: the guard has not run, there is nothing to compare
    }
    List<String> others = new ArrayList<>();
    for (String target : targets) {
      Optional<ModelIdentity> model = recorded(zk, target);
      if (model.isPresent() && !model.get().equals(ownModel.get())) {
        others.add(target + " (model " + model.get() + ")");
      }
    }
    if (others.isEmpty()) {
      return;
    }
    if (others.size() < targets.size()) {
      throw new SolrException(
          ErrorCode.BAD_REQUEST,
          "mmsearch: collections of different models cannot be searched together: "
              + String.join(", ", others)
              + " differ from "
              + own
              + " (model "
              + ownModel.get()
              + ")");
    }
    log.info(
        "mmsearch: request for {} reached core {} of {} (model {}); answering from {}",
        named,
        rb.req.getCore().getName(),
        own,
        ownModel.get(),
        own);
    ModifiableSolrParams pinned = new ModifiableSolrParams(params);
    pinned.set("collection", own);
    rb.req.setParams(pinned);
    // Solr chose the shards from the parameter before any component ran: choose them again.
    container.getShardHandlerFactory().getShardHandler().prepDistributed(rb);
    if (rb.rsp.getResponseHeader() != null) {
      rb.rsp.getResponseHeader().add(ANSWERED_BY, own);
    }
  }

  private static boolean hasVectorPart(ResponseBuilder rb) {
    if (rb.req.getContext().get(MultimodalSearchHandler.UPLOADED_IMAGE) != null) {
      return true;
    }
    for (Iterator<String> names = rb.req.getParams().getParameterNamesIterator();
        names.hasNext(); ) {
      if (names.next().startsWith(MultimodalParams.PREFIX)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<ModelIdentity> recorded(ZkStateReader zk, String collection) {
    Map<String, String> props = zk.getCollectionProperties(collection, PROPERTIES_CACHE_MILLIS);
    return ModelIdentity.fromEntries(props, "the properties of collection " + collection);
  }

  @Override
  public void process(ResponseBuilder rb) {}

  @Override
  public String getDescription() {
    return "mmsearch: keeps a request on collections of the model that encodes it";
  }
}
