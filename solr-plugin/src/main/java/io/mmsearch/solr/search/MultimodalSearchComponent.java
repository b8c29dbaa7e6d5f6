package io.mmsearch.solr.search;

import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.error.UnencodableInputException;
import io.mmsearch.solr.model.ModelGuard;
import io.mmsearch.solr.model.ModelSettings;
import io.mmsearch.solr.model.NodeModels;
import io.mmsearch.solr.model.SharedModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
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
import org.apache.solr.handler.component.ShardResponse;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QueryCommand;
import org.apache.solr.search.QueryParsing;
import org.apache.solr.search.QueryUtils;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.SortSpecParsing;
import org.apache.solr.search.SyntaxError;
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
 *       {@link MultimodalParams} sources are encoded and mixed by weight into one unit vector,
 *       exactly as the embedded searcher mixes them; a wrong-dimension raw vector is refused.
 *   <li>The request is rewritten into Solr queries ({@link QueryStrings}): the vector part becomes
 *       {@code {!mmknn}} (kNN with the {@code fq}s applied inside the graph walk, candidates
 *       re-scored exactly on full-precision vectors), the keyword part an edismax query. The
 *       encoded inputs are removed, so the shards never see (or encode) them.
 *   <li>A like-this request first fetches the example's vector from the shard that holds it (stage
 *       {@value #STAGE_FETCH_LIKE}; read from the vector index, not stored fields).
 *   <li>A hybrid request with {@code rrf} or {@code linear} fusion retrieves the global keyword
 *       list and the global vector list from all shards (stage {@value #STAGE_LISTS}, after Solr's
 *       distributed term statistics, which the keyword list uses), fuses them here, and hands Solr
 *       a query matching the fused documents with their fused scores. {@code sum} fusion is one
 *       Solr boolean query.
 *   <li>Solr's query component then runs the rewritten request as usual (paging, {@code fl},
 *       facets, highlighting).
 * </ol>
 *
 * <p>Per-shard depth: Solr's kNN takes {@code topK} per shard; this component sets it to {@code
 * max(mmsearch.candidates, ceil(window · mmsearch.oversample))} with {@code window =
 * max(mmsearch.k, start + rows)}, so every shard returns at least its own top {@code window} and
 * the merged list holds the global top {@code window}. {@code numFound} of a vector query is
 * therefore the number of candidates summed over shards, not a count of "matching" documents.
 *
 * <p>Without distribution (a single-shard collection answered locally, or standalone Solr) the same
 * steps run in {@link #prepare} against the local index.
 */
public class MultimodalSearchComponent extends SearchComponent implements SolrCoreAware {
  /** The name the configset registers this component under. */
  public static final String COMPONENT_NAME = "mmsearch";

  /** Distributed stage fetching a like-this document's vector. */
  public static final int STAGE_FETCH_LIKE = 500;

  /** Distributed stage retrieving the keyword and vector lists of a fused hybrid request. */
  public static final int STAGE_LISTS = 1800;

  private static final String PLAN = MultimodalSearchComponent.class.getName() + ".plan";

  private ModelSettings modelSettings;
  private String vectorField;
  private String keywordFields;
  private int maxWindow;
  private volatile SharedModel model;

  @Override
  public void init(NamedList<?> args) {
    modelSettings = ModelSettings.from(args);
    vectorField = stringArg(args, "vectorField", "image_vec");
    keywordFields = stringArg(args, "keywordFields", "caption keywords");
    maxWindow = Integer.parseInt(stringArg(args, "maxWindow", "500"));
    super.init(args);
  }

  private static String stringArg(NamedList<?> args, String name, String defaultValue) {
    Object v = args.remove(name);
    return v == null || v.toString().isBlank() ? defaultValue : v.toString().trim();
  }

  @Override
  public void inform(SolrCore core) {
    SharedModel loaded = NodeModels.forCore(core, modelSettings);
    ModelGuard.check(core, loaded, modelSettings.pinnedFingerprint(), vectorField);
    model = loaded;
  }

  /** The state of one mmsearch request on the coordinating node. */
  private static final class Plan {
    final MultimodalRequest request;
    final double[] mixed;
    float[] vector;
    ShardRequest likeRequest;
    float[] likeVector;
    ShardRequest keywordRequest;
    ShardRequest vectorRequest;
    final List<RankedIds.Hit> keywordHits = new ArrayList<>();
    final List<RankedIds.Hit> vectorHits = new ArrayList<>();

    Plan(MultimodalRequest request, double[] mixed) {
      this.request = request;
      this.mixed = mixed;
    }

    boolean needsLike() {
      return request.likeId != null;
    }
  }

  @Override
  public void prepare(ResponseBuilder rb) throws IOException {
    SolrQueryRequest req = rb.req;
    SolrParams params = req.getParams();
    if (params.getBool(ShardParams.IS_SHARD, false)) {
      return; // the coordinator encoded and rewrote this request already
    }
    MultimodalRequest r;
    double[] mixed;
    try {
      r =
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
      mixed = encodeSources(r);
    } catch (IllegalArgumentException | UnencodableInputException e) {
      throw new SolrException(ErrorCode.BAD_REQUEST, e.getMessage(), e);
    } catch (EncodingException e) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR, "mmsearch: the model failed: " + e.getMessage(), e);
    }
    Plan plan = new Plan(r, mixed);
    req.getContext().put(PLAN, plan);
    String idField = req.getSchema().getUniqueKeyField().getName();
    ModifiableSolrParams p = QueryStrings.withoutInputs(params);
    p.set(QueryParsing.DEFTYPE, "lucene");
    if (p.get(CommonParams.SORT) == null) {
      // Ties (twin images, equal BM25 scores) in a fixed order, whichever replicas answer.
      p.set(CommonParams.SORT, "score desc," + idField + " asc");
    }
    if (r.likeId != null) {
      p.add(CommonParams.FQ, QueryStrings.excludeIdFilter(idField, r.likeId));
    }
    if (!rb.isDistributed()) {
      req.setParams(p);
      if (r.likeId != null) {
        plan.likeVector = localVector(req, r.likeId);
      }
      finishVector(plan);
      if (r.fusesOnCoordinator()) {
        retrieveListsLocally(rb, plan);
        p.set(CommonParams.Q, QueryStrings.rankedIdsQuery(idField, fuse(plan)));
      } else {
        p.set(CommonParams.Q, finalQuery(p, plan));
      }
      req.setParams(p);
      return;
    }
    if (r.likeId == null) {
      finishVector(plan);
    }
    if (r.fusesOnCoordinator()) {
      // The keyword query is the main query until the lists are fused, so that Solr's
      // distributed term statistics (stage PARSE_QUERY) are gathered for it.
      p.set(CommonParams.Q, QueryStrings.keywordQuery(p, r, keywordFields));
    } else if (r.likeId != null) {
      p.set(CommonParams.Q, "-*:*"); // replaced once the example's vector is fetched
    } else {
      p.set(CommonParams.Q, finalQuery(p, plan));
    }
    req.setParams(p);
  }

  /** The main query of a request that is not fused on the coordinator. */
  private String finalQuery(ModifiableSolrParams p, Plan plan) {
    MultimodalRequest r = plan.request;
    if (!r.hasVectorPart()) {
      return QueryStrings.keywordQuery(p, r, keywordFields);
    }
    if (!r.hasKeywordPart()) {
      return QueryStrings.vectorQuery(p, r, plan.vector, false);
    }
    return QueryStrings.sumQuery(p, r, plan.vector, keywordFields);
  }

  /** Text, image and raw vector, weighted, in the embedded searcher's order; like comes later. */
  private double[] encodeSources(MultimodalRequest r) {
    int dim = model.identity().dimension();
    double[] mixed = new double[dim];
    if (r.text != null) {
      add(mixed, checked("text query vector", model.encodeText(r.text)), r.textWeight);
    }
    if (r.image != null) {
      add(
          mixed,
          checked("image query vector", model.encodeImage(r.image, "query image")),
          r.imageWeight);
    }
    if (r.vector != null) {
      add(mixed, checked(MultimodalParams.VECTOR, r.vector), r.vectorWeight);
    }
    return mixed;
  }

  private float[] checked(String what, float[] v) {
    if (v.length != model.identity().dimension()) {
      throw new IllegalArgumentException(
          what
              + " has "
              + v.length
              + " dimensions but the collection's model "
              + model.identity()
              + " has "
              + model.identity().dimension());
    }
    return v;
  }

  private static void add(double[] acc, float[] v, float weight) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] += (double) weight * v[i];
    }
  }

  /** Adds the like-this vector (if any) and normalises the mix into {@code plan.vector}. */
  private void finishVector(Plan plan) {
    MultimodalRequest r = plan.request;
    if (!r.hasVectorPart()) {
      return;
    }
    if (plan.likeVector != null) {
      add(plan.mixed, checked("like-this vector", plan.likeVector), r.likeWeight);
    }
    double norm = 0;
    for (double v : plan.mixed) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (!(norm > 0)) {
      throw new SolrException(
          ErrorCode.BAD_REQUEST,
          "the mixed query vector is zero (all weights 0, or the sources cancel out)");
    }
    float[] target = new float[plan.mixed.length];
    for (int i = 0; i < target.length; i++) {
      target[i] = (float) (plan.mixed[i] / norm);
    }
    plan.vector = target;
  }

  @Override
  public void process(ResponseBuilder rb) {
    // prepare() did the work: Solr's query component runs the rewritten request.
  }

  @Override
  public int distributedProcess(ResponseBuilder rb) {
    Plan plan = plan(rb);
    if (plan == null) {
      return ResponseBuilder.STAGE_DONE;
    }
    boolean fused = plan.request.fusesOnCoordinator();
    int stage = rb.getStage();
    if (stage < STAGE_FETCH_LIKE && plan.needsLike()) {
      return STAGE_FETCH_LIKE;
    }
    if (stage == STAGE_FETCH_LIKE && plan.needsLike()) {
      plan.likeRequest = likeRequest(rb, plan.request.likeId);
      rb.addRequest(this, plan.likeRequest);
      return fused ? STAGE_LISTS : ResponseBuilder.STAGE_DONE;
    }
    if (fused && stage < STAGE_LISTS) {
      return STAGE_LISTS;
    }
    if (fused && stage == STAGE_LISTS) {
      addListRequests(rb, plan);
    }
    return ResponseBuilder.STAGE_DONE;
  }

  private ShardRequest likeRequest(ResponseBuilder rb, String likeId) {
    String idField = rb.req.getSchema().getUniqueKeyField().getName();
    ShardRequest sreq = new ShardRequest();
    sreq.purpose = ShardRequest.PURPOSE_PRIVATE;
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set(CommonParams.Q, "{!term f=" + idField + " v=$" + MultimodalParams.LIKE + "}");
    p.set(MultimodalParams.LIKE, likeId);
    p.set(CommonParams.FL, idField + ",[vector f=" + plan(rb).request.field + "]");
    p.set(CommonParams.ROWS, 1);
    sreq.params = p;
    return sreq;
  }

  private void addListRequests(ResponseBuilder rb, Plan plan) {
    MultimodalRequest r = plan.request;
    ModifiableSolrParams base =
        listParams(rb.req.getParams(), r.window, rb.req.getSchema().getUniqueKeyField().getName());

    ShardRequest keyword = new ShardRequest();
    keyword.purpose = ShardRequest.PURPOSE_PRIVATE | ShardRequest.PURPOSE_SET_TERM_STATS;
    keyword.params = new ModifiableSolrParams(base);
    // The main query is the keyword query now (see prepare); global term statistics go with it.
    rb.req.getSearcher().getStatsCache().sendGlobalStats(rb, keyword);
    plan.keywordRequest = keyword;
    rb.addRequest(this, keyword);

    ShardRequest vector = new ShardRequest();
    vector.purpose = ShardRequest.PURPOSE_PRIVATE;
    ModifiableSolrParams vp = new ModifiableSolrParams(base);
    vp.set(CommonParams.Q, QueryStrings.vectorQuery(vp, r, plan.vector, false));
    vector.params = vp;
    plan.vectorRequest = vector;
    rb.addRequest(this, vector);
  }

  /** The request's parameters for one ranked list: top {@code window} ids and scores only. */
  private static ModifiableSolrParams listParams(SolrParams request, int window, String idField) {
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

  @Override
  public void handleResponses(ResponseBuilder rb, ShardRequest sreq) {
    Plan plan = plan(rb);
    if (plan == null) {
      return;
    }
    if (sreq == plan.likeRequest) {
      for (ShardResponse srsp : sreq.responses) {
        SolrDocumentList docs = documents(srsp);
        if (docs != null && !docs.isEmpty()) {
          Object v = docs.get(0).getFieldValue("[vector]");
          if (v instanceof List<?> list) {
            float[] f = new float[list.size()];
            for (int i = 0; i < f.length; i++) {
              f[i] = ((Number) list.get(i)).floatValue();
            }
            plan.likeVector = f;
          }
        }
      }
    } else if (sreq == plan.keywordRequest) {
      collect(sreq, plan.keywordHits, rb);
    } else if (sreq == plan.vectorRequest) {
      collect(sreq, plan.vectorHits, rb);
    }
  }

  private static void collect(ShardRequest sreq, List<RankedIds.Hit> into, ResponseBuilder rb) {
    String idField = rb.req.getSchema().getUniqueKeyField().getName();
    for (ShardResponse srsp : sreq.responses) {
      SolrDocumentList docs = documents(srsp);
      if (docs == null) {
        continue;
      }
      for (SolrDocument d : docs) {
        into.add(
            new RankedIds.Hit(
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
    return response instanceof SolrDocumentList list ? list : null;
  }

  @Override
  public void finishStage(ResponseBuilder rb) {
    Plan plan = plan(rb);
    if (plan == null) {
      return;
    }
    MultimodalRequest r = plan.request;
    String idField = rb.req.getSchema().getUniqueKeyField().getName();
    if (rb.getStage() == STAGE_FETCH_LIKE && plan.needsLike()) {
      if (plan.likeVector == null) {
        throw noSuchExample(r);
      }
      finishVector(plan);
      if (!r.fusesOnCoordinator()) {
        ModifiableSolrParams p = new ModifiableSolrParams(rb.req.getParams());
        p.set(CommonParams.Q, finalQuery(p, plan));
        replaceMainQuery(rb, p);
      }
    } else if (rb.getStage() == STAGE_LISTS && r.fusesOnCoordinator()) {
      ModifiableSolrParams p = new ModifiableSolrParams(rb.req.getParams());
      p.set(CommonParams.Q, QueryStrings.rankedIdsQuery(idField, fuse(plan)));
      replaceMainQuery(rb, p);
    }
  }

  private SolrException noSuchExample(MultimodalRequest r) {
    return new SolrException(
        ErrorCode.BAD_REQUEST,
        MultimodalParams.LIKE
            + " '"
            + r.likeId
            + "': no live document with that id and a "
            + r.field
            + " vector");
  }

  private static RankedIds fuse(Plan plan) {
    MultimodalRequest r = plan.request;
    RankedIds keyword = RankedIds.of(plan.keywordHits).top(r.window);
    RankedIds vector = RankedIds.of(plan.vectorHits).top(r.window);
    return r.fusion == Fusion.LINEAR
        ? RankedIds.linear(keyword, vector, r.keywordWeight, r.vectorListWeight)
        : RankedIds.rrf(keyword, vector, r.rankConstant, r.keywordWeight, r.vectorListWeight);
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

  // --- without distribution: the same steps against the local index ---

  private float[] localVector(SolrQueryRequest req, String id) throws IOException {
    SolrIndexSearcher searcher = req.getSearcher();
    SchemaField key = req.getSchema().getUniqueKeyField();
    BytesRefBuilder indexed = new BytesRefBuilder();
    key.getType().readableToIndexed(id, indexed);
    int doc = searcher.getFirstMatch(new Term(key.getName(), indexed.get()));
    if (doc >= 0) {
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
      FloatVectorValues values = leaf.reader().getFloatVectorValues(plan(req).request.field);
      int local = doc - leaf.docBase;
      if (values != null && values.advance(local) == local) {
        return values.vectorValue().clone();
      }
    }
    throw noSuchExample(plan(req).request);
  }

  private void retrieveListsLocally(ResponseBuilder rb, Plan plan) throws IOException {
    MultimodalRequest r = plan.request;
    ModifiableSolrParams p = new ModifiableSolrParams(rb.req.getParams());
    String keywordQuery = QueryStrings.keywordQuery(p, r, keywordFields);
    String vectorQuery = QueryStrings.vectorQuery(p, r, plan.vector, false);
    rb.req.setParams(p);
    try {
      List<Query> filters = QueryUtils.parseFilterQueries(rb.req);
      plan.keywordHits.addAll(localList(rb.req, keywordQuery, filters, r.window));
      plan.vectorHits.addAll(localList(rb.req, vectorQuery, filters, r.window));
    } catch (SyntaxError e) {
      throw new SolrException(ErrorCode.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private static List<RankedIds.Hit> localList(
      SolrQueryRequest req, String q, List<Query> filters, int window)
      throws IOException, SyntaxError {
    SolrIndexSearcher searcher = req.getSearcher();
    Query query = QParser.getParser(q, req).getQuery();
    SchemaField key = req.getSchema().getUniqueKeyField();
    DocList docs =
        new QueryCommand()
            .setQuery(query == null ? new MatchNoDocsQuery() : query)
            .setSort(
                SortSpecParsing.parseSortSpec("score desc," + key.getName() + " asc", req)
                    .getSort())
            .setFilterList(filters.isEmpty() ? null : filters)
            .setLen(window)
            .setFlags(SolrIndexSearcher.GET_SCORES)
            .search(searcher)
            .getDocList();
    List<RankedIds.Hit> hits = new ArrayList<>(docs.size());
    DocIterator it = docs.iterator();
    while (it.hasNext()) {
      int doc = it.nextDoc();
      float score = it.score();
      String id =
          key.getType()
              .toExternal(
                  searcher.getDocFetcher().doc(doc, Set.of(key.getName())).getField(key.getName()));
      hits.add(new RankedIds.Hit(id, score));
    }
    return hits;
  }

  private static Plan plan(ResponseBuilder rb) {
    return plan(rb.req);
  }

  private static Plan plan(SolrQueryRequest req) {
    return (Plan) req.getContext().get(PLAN);
  }

  @Override
  public String getDescription() {
    return "mmsearch: text, image, like-this and hybrid queries encoded once per request";
  }
}
