package io.mmsearch.solr.search;

import io.mmsearch.semantics.Ranked;
import java.util.List;
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
 *   <li>{@value #STAGE_FETCH_LIKE}: a like-this request fetches the example's vector from the shard
 *       that holds it (read from the vector index), then mixes it in;
 *   <li>{@value #STAGE_LISTS}: a fused (rrf, linear) request asks every shard for its top window of
 *       the keyword query and of the vector query (after Solr's distributed term statistics, which
 *       the keyword list uses), merges each into one global list and fuses the two;
 *   <li>either installs the final main query, which Solr's query component then runs as usual.
 * </ol>
 *
 * Stateless; the request's state is its {@link RequestPlan}.
 */
final class DistributedStages {
  /** Distributed stage fetching a like-this document's vector. */
  static final int STAGE_FETCH_LIKE = 500;

  /** Distributed stage retrieving the keyword and vector lists of a fused hybrid request. */
  static final int STAGE_LISTS = 1800;

  private DistributedStages() {}

  /** The next stage this request needs, adding the shard requests of the current one. */
  static int next(SearchComponent component, ResponseBuilder rb, RequestPlan plan) {
    boolean fused = plan.request.fusesOnCoordinator();
    int stage = rb.getStage();
    if (stage < STAGE_FETCH_LIKE && plan.needsLike()) {
      return STAGE_FETCH_LIKE;
    }
    if (stage == STAGE_FETCH_LIKE && plan.needsLike()) {
      plan.likeRequest = likeRequest(plan);
      rb.addRequest(component, plan.likeRequest);
      return fused ? STAGE_LISTS : ResponseBuilder.STAGE_DONE;
    }
    if (fused && stage < STAGE_LISTS) {
      return STAGE_LISTS;
    }
    if (fused && stage == STAGE_LISTS) {
      addListRequests(component, rb, plan);
    }
    return ResponseBuilder.STAGE_DONE;
  }

  /** Collects what the shards answered to this request's own shard requests. */
  static void collect(ShardRequest sreq, RequestPlan plan) {
    if (sreq == plan.likeRequest) {
      for (ShardResponse srsp : sreq.responses) {
        SolrDocumentList docs = documents(srsp);
        if (docs != null && !docs.isEmpty()) {
          Object v = docs.get(0).getFieldValue("[vector]");
          if (v instanceof List<?>) {
            List<?> list = (List<?>) v;
            float[] f = new float[list.size()];
            for (int i = 0; i < f.length; i++) {
              f[i] = ((Number) list.get(i)).floatValue();
            }
            plan.likeVector = f;
          }
        }
      }
    } else if (sreq == plan.keywordRequest) {
      collectHits(sreq, plan.keywordHits, plan.idField);
    } else if (sreq == plan.vectorRequest) {
      collectHits(sreq, plan.vectorHits, plan.idField);
    }
  }

  /** Completes a stage: mixes the fetched example in, or fuses the lists; installs the query. */
  static void finish(ResponseBuilder rb, RequestPlan plan) {
    MultimodalRequest r = plan.request;
    if (rb.getStage() == STAGE_FETCH_LIKE && plan.needsLike()) {
      if (plan.likeVector == null) {
        throw noSuchExample(r);
      }
      plan.finishVector();
      if (!r.fusesOnCoordinator()) {
        ModifiableSolrParams p = new ModifiableSolrParams(rb.req.getParams());
        p.set(CommonParams.Q, plan.unfusedQuery(p));
        replaceMainQuery(rb, p);
      }
    } else if (rb.getStage() == STAGE_LISTS && r.fusesOnCoordinator()) {
      ModifiableSolrParams p = new ModifiableSolrParams(rb.req.getParams());
      plan.setFusedQuery(p);
      replaceMainQuery(rb, p);
    }
  }

  static SolrException noSuchExample(MultimodalRequest r) {
    return new SolrException(
        ErrorCode.BAD_REQUEST,
        MultimodalParams.LIKE
            + " '"
            + r.likeId
            + "': no live document with that id and a "
            + r.field
            + " vector");
  }

  private static ShardRequest likeRequest(RequestPlan plan) {
    ShardRequest sreq = new ShardRequest();
    sreq.purpose = ShardRequest.PURPOSE_PRIVATE;
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set(CommonParams.Q, "{!term f=" + plan.idField + " v=$" + MultimodalParams.LIKE + "}");
    p.set(MultimodalParams.LIKE, plan.request.likeId);
    p.set(CommonParams.FL, plan.idField + ",[vector f=" + plan.request.field + "]");
    p.set(CommonParams.ROWS, 1);
    sreq.params = p;
    return sreq;
  }

  private static void addListRequests(
      SearchComponent component, ResponseBuilder rb, RequestPlan plan) {
    MultimodalRequest r = plan.request;
    ModifiableSolrParams base = listParams(rb.req.getParams(), r.window(), plan.idField);

    ShardRequest keyword = new ShardRequest();
    keyword.purpose = ShardRequest.PURPOSE_PRIVATE | ShardRequest.PURPOSE_SET_TERM_STATS;
    keyword.params = new ModifiableSolrParams(base);
    // The main query is the keyword query now (see prepare); global term statistics go with it.
    rb.req.getSearcher().getStatsCache().sendGlobalStats(rb, keyword);
    plan.keywordRequest = keyword;
    rb.addRequest(component, keyword);

    ShardRequest vector = new ShardRequest();
    vector.purpose = ShardRequest.PURPOSE_PRIVATE;
    ModifiableSolrParams vp = new ModifiableSolrParams(base);
    vp.set(CommonParams.Q, QueryStrings.vectorQuery(vp, r, plan.vector(), false));
    vector.params = vp;
    plan.vectorRequest = vector;
    rb.addRequest(component, vector);
  }

  /** The request's parameters for one ranked list: top {@code window} ids and scores only. */
  static ModifiableSolrParams listParams(SolrParams request, int window, String idField) {
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
    p.set(CommonParams.FL, idField + ",score");
    return p;
  }

  private static void collectHits(ShardRequest sreq, List<Ranked<String>> into, String idField) {
    for (ShardResponse srsp : sreq.responses) {
      SolrDocumentList docs = documents(srsp);
      if (docs == null) {
        continue;
      }
      for (SolrDocument d : docs) {
        into.add(
            new Ranked<>(
                d.getFieldValue(idField).toString(),
                ((Number) d.getFieldValue("score")).floatValue()));
      }
    }
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
