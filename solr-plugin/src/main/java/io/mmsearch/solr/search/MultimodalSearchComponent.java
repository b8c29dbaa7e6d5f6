package io.mmsearch.solr.search;

import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.error.UnencodableInputException;
import io.mmsearch.solr.config.PluginArgs;
import io.mmsearch.solr.model.ModelGuard;
import io.mmsearch.solr.model.ModelSettings;
import io.mmsearch.solr.model.NodeModels;
import io.mmsearch.solr.model.SharedModel;
import java.io.IOException;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.GroupParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.SolrCore;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.QueryParsing;
import org.apache.solr.util.plugin.SolrCoreAware;

/**
 * mmsearch queries on Solr: text, image, raw-vector, like-this-document and keyword+vector hybrid
 * requests, with the query encoded <b>once per request, on the coordinating node</b>, then
 * distributed as plain Solr queries. Register it first in the search handler:
 *
 * <pre>{@code
 * <searchComponent name="mmsearch" class="io.mmsearch.solr.search.MultimodalSearchComponent">
 *   <str name="bundle">${mmsearch.bundle:mmsearch/bundle}</str>
 *   <str name="vectorField">image_vec</str>
 *   <str name="keywordFields">caption keywords</str>
 * </searchComponent>
 * <requestHandler name="/select" class="solr.SearchHandler">
 *   <arr name="first-components"><str>mmsearch</str></arr>
 * </requestHandler>
 * }</pre>
 *
 * <h2>How a request runs</h2>
 *
 * <ol>
 *   <li>{@link #prepare}, on the node that received the request only (never on shard requests): the
 *       {@link MultimodalParams} sources are encoded and mixed by weight into one unit vector by
 *       the shared {@code io.mmsearch.semantics.VectorMix}, the code the embedded searcher runs
 *       (each source unit-normalised, weighted, summed, normalised); a wrong-dimension raw vector
 *       is refused.
 *   <li>The request is rewritten into Solr queries ({@link QueryStrings}): the vector part becomes
 *       {@code {!mmknn}} (kNN with the {@code fq}s applied inside the graph walk, candidates
 *       re-scored exactly on full-precision vectors), the keyword part an edismax query. The
 *       encoded inputs are removed, so the shards never see (or encode) them.
 *   <li>A like-this request first fetches the example's vector from the shard that holds it (stage
 *       {@value DistributedStages#STAGE_FETCH_LIKE}; read from the vector index, not stored
 *       fields).
 *   <li>A hybrid request with {@code rrf} or {@code linear} fusion retrieves the global keyword
 *       list and the global vector list from all shards (stage {@value
 *       DistributedStages#STAGE_LISTS}, after Solr's distributed term statistics, which the keyword
 *       list uses), fuses them here with the shared arithmetic ({@code
 *       io.mmsearch.semantics.Fusion}), and hands Solr a query of the matched set (keyword matches
 *       and kNN candidates) in which the fused documents carry their fused scores and rank first.
 *       {@code sum} fusion is one Solr boolean query.
 *   <li>Solr's query component then runs the rewritten request as usual (paging, {@code fl},
 *       facets, highlighting).
 * </ol>
 *
 * <p>Per-shard depth: Solr's kNN takes {@code topK} per shard; this component sets it to the shared
 * {@code SearchDepth.candidateCount()}, {@code max(mmsearch.candidates, ceil(window ·
 * mmsearch.oversample))} with {@code window = max(mmsearch.k, start + rows)}, so every shard
 * returns at least its own top {@code window} and the merged list holds the global top {@code
 * window}. {@code numFound} of a vector query is therefore the number of candidates after the
 * filters summed over shards.
 *
 * <p>Without distribution (a single-shard collection answered locally, or standalone Solr) the same
 * steps run in {@link #prepare} against the local index.
 */
public class MultimodalSearchComponent extends SearchComponent implements SolrCoreAware {
  /** The name the configset registers this component under. */
  public static final String COMPONENT_NAME = "mmsearch";

  /** Distributed stage fetching a like-this document's vector. */
  public static final int STAGE_FETCH_LIKE = DistributedStages.STAGE_FETCH_LIKE;

  /** Distributed stage retrieving the keyword and vector lists of a fused hybrid request. */
  public static final int STAGE_LISTS = DistributedStages.STAGE_LISTS;

  private static final String PLAN = MultimodalSearchComponent.class.getName() + ".plan";

  private ModelSettings modelSettings;
  private String vectorField;
  private String keywordFields;
  private int maxWindow;
  private volatile SharedModel model;

  @Override
  public void init(NamedList<?> args) {
    modelSettings = ModelSettings.from(args);
    vectorField = PluginArgs.string(args, "vectorField", "image_vec");
    keywordFields = PluginArgs.string(args, "keywordFields", "caption keywords");
    maxWindow = PluginArgs.integer(args, "maxWindow", 500);
    super.init(args);
  }

  @Override
  public void inform(SolrCore core) {
    SharedModel loaded = NodeModels.forCore(core, modelSettings);
    ModelGuard.check(core, loaded, modelSettings.pinnedFingerprint(), vectorField);
    model = loaded;
  }

  @Override
  public void prepare(ResponseBuilder rb) throws IOException {
    SolrQueryRequest req = rb.req;
    SolrParams params = req.getParams();
    if (params.getBool(ShardParams.IS_SHARD, false)) {
      return; // the coordinator encoded and rewrote this request already
    }
    String idField = req.getSchema().getUniqueKeyField().getName();
    RequestPlan plan;
    try {
      MultimodalRequest r =
          MultimodalRequest.parse(
              params,
              (byte[]) req.getContext().get(MultimodalSearchHandler.UPLOADED_IMAGE),
              vectorField,
              maxWindow);
      if (r == null) {
        return;
      }
      if (params.getBool(GroupParams.GROUP, false)) {
        throw new IllegalArgumentException("mmsearch requests cannot be grouped");
      }
      plan =
          new RequestPlan(r, model, idField, keywordFields, params.get(CommonParams.SORT) != null);
    } catch (IllegalArgumentException | UnencodableInputException e) {
      throw new SolrException(ErrorCode.BAD_REQUEST, e.getMessage(), e);
    } catch (EncodingException e) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR, "mmsearch: the model failed: " + e.getMessage(), e);
    }
    req.getContext().put(PLAN, plan);
    MultimodalRequest r = plan.request;
    ModifiableSolrParams p = QueryStrings.withoutInputs(params);
    p.set(QueryParsing.DEFTYPE, "lucene");
    if (p.get(CommonParams.SORT) == null) {
      // Ties (twin images, equal BM25 scores) in a fixed order, whichever replicas answer.
      p.set(CommonParams.SORT, "score desc," + idField + " asc");
    }
    if (r.likeId != null) {
      p.add(CommonParams.FQ, QueryStrings.excludeIdFilter(idField, r.likeId));
    }
    try {
      if (!rb.isDistributed()) {
        LocalSearch.prepare(req, plan, p);
        return;
      }
      if (r.likeId == null) {
        plan.finishVector();
      }
      if (r.fusesOnCoordinator()) {
        // The keyword query is the main query until the lists are fused, so that Solr's
        // distributed term statistics (stage PARSE_QUERY) are gathered for it.
        p.set(CommonParams.Q, QueryStrings.keywordQuery(p, r, keywordFields));
      } else if (r.likeId != null) {
        p.set(CommonParams.Q, "-*:*"); // replaced once the example's vector is fetched
      } else {
        p.set(CommonParams.Q, plan.unfusedQuery(p));
      }
      req.setParams(p);
    } catch (IllegalArgumentException e) {
      throw new SolrException(ErrorCode.BAD_REQUEST, e.getMessage(), e);
    }
  }

  @Override
  public void process(ResponseBuilder rb) {
    // prepare() did the work: Solr's query component runs the rewritten request.
  }

  @Override
  public int distributedProcess(ResponseBuilder rb) {
    RequestPlan plan = plan(rb);
    return plan == null ? ResponseBuilder.STAGE_DONE : DistributedStages.next(this, rb, plan);
  }

  @Override
  public void handleResponses(ResponseBuilder rb, ShardRequest sreq) {
    RequestPlan plan = plan(rb);
    if (plan != null) {
      DistributedStages.collect(sreq, plan);
    }
  }

  @Override
  public void finishStage(ResponseBuilder rb) {
    RequestPlan plan = plan(rb);
    if (plan == null) {
      return;
    }
    try {
      DistributedStages.finish(rb, plan);
    } catch (IllegalArgumentException e) {
      throw new SolrException(ErrorCode.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private static RequestPlan plan(ResponseBuilder rb) {
    return (RequestPlan) rb.req.getContext().get(PLAN);
  }

  @Override
  public String getDescription() {
    return "mmsearch: text, image, like-this and hybrid queries encoded once per request";
  }
}
