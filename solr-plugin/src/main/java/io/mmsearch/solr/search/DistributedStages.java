package io.mmsearch.solr.search;

import io.mmsearch.semantics.VectorTarget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.handler.component.ShardResponse;
import org.apache.solr.search.QParser;
import org.apache.solr.search.SyntaxError;

/**
 * The distributed stages of an mmsearch request, on the coordinating node, in Solr's stage protocol
 * ({@code distributedProcess}, {@code handleResponses}, {@code finishStage}):
 *
 * <ol>
 *   <li>{@value #STAGE_FETCH_LIKE}: a request with example documents (more or less like) fetches
 *       their image vectors from the shards that hold them (read from the vector index), then mixes
 *       them in;
 *   <li>{@value #STAGE_LISTS}: a request ranked on the coordinator (hybrid rrf or linear, several
 *       targets, a cut-off or diversity) asks every shard for its top list depth of the keyword
 *       query and of each target's vector query, with the vectors and hashes the stages need (after
 *       Solr's distributed term statistics, which the keyword list uses), merges each into one
 *       global list and runs the shared ranking stages;
 *   <li>either installs the final main query, which Solr's query component then runs as usual.
 * </ol>
 *
 * Stateless; the request's state is its {@link RequestPlan}.
 */
final class DistributedStages {
  /** Distributed stage fetching the example documents' vectors. */
  static final int STAGE_FETCH_LIKE = 500;

  /** Distributed stage retrieving the lists of a request ranked on the coordinator. */
  static final int STAGE_LISTS = 1800;

  /** Response field of a hit's content hash in a list request. */
  static final String HASH_FIELD = "content_hash";

  private DistributedStages() {}

  /** The next stage this request needs, adding the shard requests of the current one. */
  static int next(SearchComponent component, ResponseBuilder rb, RequestPlan plan) {
    boolean ranked = plan.request.ranksOnCoordinator();
    int stage = rb.getStage();
    if (stage < STAGE_FETCH_LIKE && plan.needsExamples()) {
      return STAGE_FETCH_LIKE;
    }
    if (stage == STAGE_FETCH_LIKE && plan.needsExamples()) {
      plan.exampleRequest = exampleRequest(plan);
      rb.addRequest(component, plan.exampleRequest);
      return ranked ? STAGE_LISTS : ResponseBuilder.STAGE_DONE;
    }
    if (ranked && stage < STAGE_LISTS) {
      return STAGE_LISTS;
    }
    if (ranked && stage == STAGE_LISTS) {
      addListRequests(component, rb, plan);
    }
    return ResponseBuilder.STAGE_DONE;
  }

  /** Collects what the shards answered to this request's own shard requests. */
  static void collect(ShardRequest sreq, RequestPlan plan) {
    if (sreq == plan.exampleRequest) {
      for (ShardResponse srsp : sreq.responses) {
        SolrDocumentList docs = documents(srsp);
        if (docs != null) {
          for (SolrDocument d : docs) {
            float[] v = vector(d.getFieldValue(vectorAlias(plan.imageField)));
            if (v != null) {
              plan.exampleVectors.put(d.getFieldValue(plan.idField).toString(), v);
            }
          }
        }
      }
    } else if (sreq == plan.keywordRequest) {
      collectHits(sreq, plan.keywordHits, plan, false);
    } else {
      int t = plan.targetRequests.indexOf(sreq);
      if (t >= 0) {
        collectHits(sreq, plan.targetHits.get(t), plan, true);
      }
    }
  }

  /** Completes a stage: mixes the fetched examples in, or ranks the lists; installs the query. */
  static void finish(ResponseBuilder rb, RequestPlan plan) {
    MultimodalRequest r = plan.request;
    if (rb.getStage() == STAGE_FETCH_LIKE && plan.needsExamples()) {
      plan.finishVector();
      if (!r.ranksOnCoordinator()) {
        ModifiableSolrParams p = new ModifiableSolrParams(rb.req.getParams());
        p.set(CommonParams.Q, plan.unfusedQuery(p));
        replaceMainQuery(rb, p);
      }
    } else if (rb.getStage() == STAGE_LISTS && r.ranksOnCoordinator()) {
      ModifiableSolrParams p = new ModifiableSolrParams(rb.req.getParams());
      plan.rank(p);
      replaceMainQuery(rb, p);
      if (!plan.duplicates.isEmpty()) {
        rb.rsp.add(MultimodalParams.DUPLICATES_SECTION, plan.duplicatesSection());
      }
    }
  }

  /** The alias a list or example request gives a vector field in its response. */
  static String vectorAlias(String field) {
    return "mmvec_" + field;
  }

  private static ShardRequest exampleRequest(RequestPlan plan) {
    ShardRequest sreq = new ShardRequest();
    sreq.purpose = ShardRequest.PURPOSE_PRIVATE;
    ModifiableSolrParams p = new ModifiableSolrParams();
    List<String> ids = plan.request.exampleIds();
    p.set(CommonParams.Q, QueryStrings.idsQuery(plan.idField, ids));
    p.set(
        CommonParams.FL,
        plan.idField + "," + vectorAlias(plan.imageField) + ":[vector f=" + plan.imageField + "]");
    p.set(CommonParams.ROWS, ids.size());
    sreq.params = p;
    return sreq;
  }

  private static void addListRequests(
      SearchComponent component, ResponseBuilder rb, RequestPlan plan) {
    MultimodalRequest r = plan.request;
    if (r.hasKeywordPart()) {
      ShardRequest keyword = new ShardRequest();
      keyword.purpose = ShardRequest.PURPOSE_PRIVATE | ShardRequest.PURPOSE_SET_TERM_STATS;
      keyword.params = listParams(rb.req.getParams(), r.listDepth(), plan, false);
      // The main query is the keyword query now (see prepare); global term statistics go with it.
      rb.req.getSearcher().getStatsCache().sendGlobalStats(rb, keyword);
      plan.keywordRequest = keyword;
      rb.addRequest(component, keyword);
    }
    if (r.hasVectorPart()) {
      for (VectorTarget t : r.stages.targets()) {
        ShardRequest vector = new ShardRequest();
        vector.purpose = ShardRequest.PURPOSE_PRIVATE;
        ModifiableSolrParams vp = listParams(rb.req.getParams(), r.listDepth(), plan, true);
        if (t.weight() > 0 || r.stages.targets().size() == 1) {
          vp.set(
              CommonParams.Q,
              QueryStrings.vectorQuery(vp, r, t.field(), plan.vector(), false, r.rerank));
        } else {
          vp.set(CommonParams.Q, "-*:*"); // a target that weighs nothing finds nothing
        }
        vector.params = vp;
        plan.targetRequests.add(vector);
        rb.addRequest(component, vector);
      }
    }
  }

  /**
   * The request's parameters for one ranked list: the top {@code window} ids and scores, with the
   * vectors and hashes the stages need.
   */
  static ModifiableSolrParams listParams(
      SolrParams request, int window, RequestPlan plan, boolean targetList) {
    String idField = plan.idField;
    ModifiableSolrParams p = new ModifiableSolrParams(request);
    for (String off :
        List.of("facet", "hl", "stats", "spellcheck", "mlt", "terms", "group", "expand")) {
      p.set(off, false);
    }
    p.set(CommonParams.SORT, "score desc," + idField + " asc");
    p.remove(CommonParams.RQ);
    p.remove(CommonParams.DEBUG);
    p.remove(CommonParams.DEBUG_QUERY);
    p.remove("cursorMark");
    p.remove(ShardParams.SHARDS);
    p.set(CommonParams.START, 0);
    p.set(CommonParams.ROWS, window);
    StringBuilder fl = new StringBuilder(idField).append(",score");
    for (String field : plan.featureFields(targetList)) {
      fl.append(',').append(vectorAlias(field)).append(":[vector f=").append(field).append(']');
    }
    if (plan.needsContentHash()) {
      fl.append(',').append(HASH_FIELD);
    }
    p.set(CommonParams.FL, fl.toString());
    return p;
  }

  private static void collectHits(
      ShardRequest sreq, List<ListHit> into, RequestPlan plan, boolean targetList) {
    List<String> fields = plan.featureFields(targetList);
    for (ShardResponse srsp : sreq.responses) {
      SolrDocumentList docs = documents(srsp);
      if (docs == null) {
        continue;
      }
      for (SolrDocument d : docs) {
        Map<String, float[]> vectors = new HashMap<>();
        for (String field : fields) {
          float[] v = vector(d.getFieldValue(vectorAlias(field)));
          if (v != null) {
            vectors.put(field, v);
          }
        }
        Object hash = d.getFirstValue(HASH_FIELD);
        into.add(
            new ListHit(
                d.getFieldValue(plan.idField).toString(),
                ((Number) d.getFieldValue("score")).floatValue(),
                vectors,
                hash == null ? null : hash.toString()));
      }
    }
  }

  /** A vector as a shard's response carries it (a list of numbers), or null. */
  private static float[] vector(Object value) {
    if (!(value instanceof List<?>)) {
      return null;
    }
    List<?> list = (List<?>) value;
    float[] f = new float[list.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) list.get(i)).floatValue();
    }
    return f;
  }

  private static SolrDocumentList documents(ShardResponse srsp) {
    if (srsp.getException() != null || srsp.getSolrResponse() == null) {
      return null; // shards.tolerant: the shard's failure is reported by Solr
    }
    Object response = srsp.getSolrResponse().getResponse().get("response");
    return response instanceof SolrDocumentList ? (SolrDocumentList) response : null;
  }

  /** Installs a new main query after Solr's query component has parsed the old one. */
  private static void replaceMainQuery(ResponseBuilder rb, ModifiableSolrParams p) {
    rb.req.setParams(p);
    String q = p.get(CommonParams.Q);
    try {
      QParser parser = QParser.getParser(q, rb.req);
      Query query = parser.getQuery();
      rb.setQueryString(q);
      rb.setQparser(parser);
      rb.setQuery(query == null ? new MatchNoDocsQuery() : query);
      rb.setSortSpec(parser.getSortSpec(true));
    } catch (SyntaxError e) {
      throw new SolrException(ErrorCode.SERVER_ERROR, "mmsearch wrote an invalid query: " + q, e);
    }
  }
}
