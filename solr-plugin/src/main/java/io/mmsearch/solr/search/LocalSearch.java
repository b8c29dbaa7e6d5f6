package io.mmsearch.solr.search;

import io.mmsearch.semantics.Ranked;
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
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
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

  /** Fetches the example, mixes the vector, fuses if needed, and writes the main query. */
  static void prepare(SolrQueryRequest req, RequestPlan plan, ModifiableSolrParams p)
      throws IOException {
    MultimodalRequest r = plan.request;
    req.setParams(p);
    if (r.likeId != null) {
      plan.likeVector = storedVector(req, r);
    }
    plan.finishVector();
    if (r.fusesOnCoordinator()) {
      retrieveLists(req, plan);
      plan.setFusedQuery(p);
    } else {
      p.set(org.apache.solr.common.params.CommonParams.Q, plan.unfusedQuery(p));
    }
    req.setParams(p);
  }

  private static float[] storedVector(SolrQueryRequest req, MultimodalRequest r)
      throws IOException {
    SolrIndexSearcher searcher = req.getSearcher();
    SchemaField key = req.getSchema().getUniqueKeyField();
    BytesRefBuilder indexed = new BytesRefBuilder();
    key.getType().readableToIndexed(r.likeId, indexed);
    int doc = searcher.getFirstMatch(new Term(key.getName(), indexed.get()));
    if (doc >= 0) {
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
      FloatVectorValues values = leaf.reader().getFloatVectorValues(r.field);
      int local = doc - leaf.docBase;
      if (values != null && values.advance(local) == local) {
        return values.vectorValue().clone();
      }
    }
    throw DistributedStages.noSuchExample(r);
  }

  private static void retrieveLists(SolrQueryRequest req, RequestPlan plan) throws IOException {
    MultimodalRequest r = plan.request;
    ModifiableSolrParams p = new ModifiableSolrParams(req.getParams());
    String keywordQuery = QueryStrings.keywordQuery(p, r, plan.keywordFields);
    String vectorQuery = QueryStrings.vectorQuery(p, r, plan.vector(), false);
    req.setParams(p);
    try {
      List<Query> filters = QueryUtils.parseFilterQueries(req);
      plan.keywordHits.addAll(list(req, keywordQuery, filters, r.window()));
      plan.vectorHits.addAll(list(req, vectorQuery, filters, r.window()));
    } catch (SyntaxError e) {
      throw new SolrException(ErrorCode.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private static List<Ranked<String>> list(
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
    List<Ranked<String>> hits = new ArrayList<>(docs.size());
    DocIterator it = docs.iterator();
    while (it.hasNext()) {
      int doc = it.nextDoc();
      float score = it.score();
      String id =
          key.getType()
              .toExternal(
                  searcher.getDocFetcher().doc(doc, Set.of(key.getName())).getField(key.getName()));
      hits.add(new Ranked<>(id, score));
    }
    return hits;
  }
}
