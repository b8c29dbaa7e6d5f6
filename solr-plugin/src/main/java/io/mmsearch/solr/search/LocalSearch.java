package io.mmsearch.solr.search;

import io.mmsearch.semantics.VectorTarget;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QueryCommand;
import org.apache.solr.search.QueryUtils;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.SortSpecParsing;
import org.apache.solr.search.SyntaxError;

/**
 * An mmsearch request without distribution (a single-shard collection answered locally, or
 * standalone Solr): the distributed stages' steps against the local index, in {@code prepare}.
 * Stateless.
 */
final class LocalSearch {
  private LocalSearch() {}

  /** Fetches the examples, mixes the vector, ranks if needed, and writes the main query. */
  static void prepare(SolrQueryRequest req, RequestPlan plan, ModifiableSolrParams p)
      throws IOException {
    MultimodalRequest r = plan.request;
    req.setParams(p);
    for (MultimodalRequest.Example e : r.examples) {
      float[] v = vector(req, docOf(req, e.id), plan.imageField);
      if (v != null) {
        plan.exampleVectors.put(e.id, v);
      }
    }
    plan.finishVector();
    if (r.ranksOnCoordinator()) {
      retrieveLists(req, plan);
      plan.rank(p);
    } else {
      p.set(CommonParams.Q, plan.unfusedQuery(p));
    }
    req.setParams(p);
  }

  private static int docOf(SolrQueryRequest req, String id) throws IOException {
    SchemaField key = req.getSchema().getUniqueKeyField();
    BytesRefBuilder indexed = new BytesRefBuilder();
    key.getType().readableToIndexed(id, indexed);
    return req.getSearcher().getFirstMatch(new Term(key.getName(), indexed.get()));
  }

  /** The document's vector in {@code field}, read from the vector index, or null. */
  private static float[] vector(SolrQueryRequest req, int doc, String field) throws IOException {
    if (doc < 0) {
      return null;
    }
    List<LeafReaderContext> leaves = req.getSearcher().getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
    int local = doc - leaf.docBase;
    if (values != null && values.advance(local) == local) {
      return values.vectorValue().clone();
    }
    return null;
  }

  private static void retrieveLists(SolrQueryRequest req, RequestPlan plan) throws IOException {
    MultimodalRequest r = plan.request;
    ModifiableSolrParams p = new ModifiableSolrParams(req.getParams());
    String keywordQuery =
        r.hasKeywordPart() ? QueryStrings.keywordQuery(p, r, plan.keywordFields) : null;
    String[] targetQueries = new String[r.stages.targets().size()];
    if (r.hasVectorPart()) {
      for (int t = 0; t < targetQueries.length; t++) {
        VectorTarget target = r.stages.targets().get(t);
        targetQueries[t] =
            target.weight() > 0 || targetQueries.length == 1
                ? QueryStrings.vectorQuery(p, r, target.field(), plan.vector(), false, r.rerank)
                : null;
      }
    }
    req.setParams(p);
    try {
      List<Query> filters = QueryUtils.parseFilterQueries(req);
      if (keywordQuery != null) {
        plan.keywordHits.addAll(list(req, plan, keywordQuery, filters, false));
      }
      if (r.hasVectorPart()) {
        for (int t = 0; t < targetQueries.length; t++) {
          if (targetQueries[t] != null) {
            plan.targetHits.get(t).addAll(list(req, plan, targetQueries[t], filters, true));
          }
        }
      }
    } catch (SyntaxError e) {
      throw new SolrException(ErrorCode.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private static List<ListHit> list(
      SolrQueryRequest req, RequestPlan plan, String q, List<Query> filters, boolean targetList)
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
            .setLen(plan.request.listDepth())
            .setFlags(SolrIndexSearcher.GET_SCORES)
            .search(searcher)
            .getDocList();
    List<String> fields = plan.featureFields(targetList);
    Set<String> stored =
        plan.needsContentHash()
            ? Set.of(key.getName(), DistributedStages.HASH_FIELD)
            : Set.of(key.getName());
    List<ListHit> hits = new java.util.ArrayList<>(docs.size());
    DocIterator it = docs.iterator();
    while (it.hasNext()) {
      int doc = it.nextDoc();
      float score = it.score();
      Document d = searcher.getDocFetcher().doc(doc, stored);
      String id = key.getType().toExternal(d.getField(key.getName()));
      Map<String, float[]> vectors = new HashMap<>();
      for (String field : fields) {
        float[] v = vector(req, doc, field);
        if (v != null) {
          vectors.put(field, v);
        }
      }
      hits.add(new ListHit(id, score, vectors, d.get(DistributedStages.HASH_FIELD)));
    }
    return hits;
  }
}
