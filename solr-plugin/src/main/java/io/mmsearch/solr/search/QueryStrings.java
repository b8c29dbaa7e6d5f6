package io.mmsearch.solr.search;

import static io.mmsearch.solr.search.MultimodalParams.*;

import io.mmsearch.semantics.Ranked;
import io.mmsearch.semantics.RankingStages;
import io.mmsearch.semantics.VectorTarget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.search.QueryParsing;

/**
 * Writes the Solr queries that carry an mmsearch request to the shards: plain Solr syntax with
 * parameter references, so the shards need nothing but the {@code mmknn} parser. Each method adds
 * the parameters its query refers to.
 */
final class QueryStrings {
  private QueryStrings() {}

  /** The request's parameters without the inputs that were encoded (never sent to shards). */
  static ModifiableSolrParams withoutInputs(SolrParams original) {
    ModifiableSolrParams p = new ModifiableSolrParams(original);
    p.remove(TEXT);
    p.remove(IMAGE);
    p.remove(VECTOR);
    return p;
  }

  /** {@code [v0,v1,...]} with each float written so that it parses back to the same float. */
  static String vectorLiteral(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 12).append('[');
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(Float.toString(v[i]));
    }
    return sb.append(']').toString();
  }

  /**
   * The kNN query over {@code vector} in {@code field}, re-scored exactly or not ({@code rerank}).
   * As the main query it takes the request's {@code fq}s as pre-filters by itself; {@code nested}
   * adds them explicitly (Solr does not for sub-queries).
   */
  static String vectorQuery(
      ModifiableSolrParams p,
      MultimodalRequest r,
      String field,
      float[] vector,
      boolean nested,
      boolean rerank) {
    p.set(QUERY_VECTOR, vectorLiteral(vector));
    StringBuilder q =
        new StringBuilder("{!")
            .append(ExactKnnQParserPlugin.NAME)
            .append(" f=")
            .append(field)
            .append(" topK=")
            .append(r.candidates())
            .append(" rerank=")
            .append(rerank);
    if (nested) {
      String[] fqs = p.getParams(CommonParams.FQ);
      if (fqs != null) {
        for (int i = 0; i < fqs.length; i++) {
          p.set(PRE_FILTER + i, fqs[i]);
          q.append(" preFilter=$").append(PRE_FILTER).append(i);
        }
      }
    }
    return q.append(" v=$").append(QUERY_VECTOR).append('}').toString();
  }

  /**
   * The keyword query: {@code mmsearch.keywords} analysed over the keyword fields (BM25, any term
   * may match, field scores summed as the embedded index sums them) and/or the user's own {@code q}
   * in its {@code defType}; both are OR-ed.
   */
  static String keywordQuery(ModifiableSolrParams p, MultimodalRequest r, String keywordFields) {
    List<String> clauses = new ArrayList<>(2);
    if (r.keywords != null) {
      p.set(KEYWORD_FIELDS, keywordFields);
      clauses.add(
          "{!edismax qf=$" + KEYWORD_FIELDS + " tie=1.0 q.op=OR mm=0 uf=-* v=$" + KEYWORDS + "}");
    }
    if (r.userQuery != null) {
      p.set(USER_QUERY, r.userQuery);
      String defType = p.get(QueryParsing.DEFTYPE, "lucene");
      clauses.add("{!" + defType + " v=$" + USER_QUERY + "}");
    }
    if (clauses.size() == 1) {
      return clauses.get(0);
    }
    StringBuilder q = new StringBuilder("{!bool");
    for (int i = 0; i < clauses.size(); i++) {
      p.set(KEYWORD_CLAUSE + i, clauses.get(i));
      q.append(" should=$").append(KEYWORD_CLAUSE).append(i);
    }
    return q.append('}').toString();
  }

  /**
   * Solr's own linear combinator: {@code {!bool should=keyword should=vector}}, each clause boosted
   * by its fusion weight; runs in one pass per shard.
   */
  static String sumQuery(
      ModifiableSolrParams p, MultimodalRequest r, float[] vector, String keywordFields) {
    p.set(PREFIX + "keywordQuery", keywordQuery(p, r, keywordFields));
    p.set(PREFIX + "vectorQuery", vectorQuery(p, r, r.field(), vector, true, r.rerank));
    p.set(SUM_KEYWORD, "{!boost b=" + plain(r.keywordWeight) + " v=$" + PREFIX + "keywordQuery}");
    p.set(SUM_VECTOR, "{!boost b=" + plain(r.vectorListWeight) + " v=$" + PREFIX + "vectorQuery}");
    return "{!bool should=$" + SUM_KEYWORD + " should=$" + SUM_VECTOR + "}";
  }

  /**
   * The main query of a request ranked on the coordinator: the ranking's documents, each scored by
   * its final score, within the matched set (scored 0), so that {@code numFound} and facets count
   * the matched set as the embedded index does while the ranking's documents come first (see {@link
   * #rankedSort}). The matched set is the keyword matches and each target's kNN candidates; a list
   * with an active cut-off contributes the documents that survived it instead. Every ranked
   * document is in the matched set, so its score is its final score exactly.
   */
  static String rankedQuery(
      ModifiableSolrParams p,
      MultimodalRequest r,
      float[] vector,
      String keywordFields,
      String idField,
      List<Ranked<String>> ranking,
      RankingStages.Outcome<String> outcome) {
    p.set(FUSED, rankedIdsQuery(idField, ranking));
    List<Ranked<String>> order = new ArrayList<>(ranking.size());
    for (int i = 0; i < ranking.size(); i++) {
      order.add(new Ranked<>(ranking.get(i).key(), ranking.size() - i));
    }
    p.set(ORDER, rankedIdsQuery(idField, order));
    List<String> matched = new ArrayList<>();
    if (r.hasKeywordPart()) {
      matched.add(
          r.stages.keywordCutoff().isActive()
              ? rankedIdsQuery(idField, outcome.keyword())
              : keywordQuery(p, r, keywordFields));
    }
    if (r.hasVectorPart()) {
      if (r.stages.vectorCutoff().isActive()) {
        matched.add(rankedIdsQuery(idField, outcome.vector()));
      } else {
        for (VectorTarget t : r.stages.targets()) {
          if (t.weight() > 0 || r.stages.targets().size() == 1) {
            // Membership only: the candidates are the same with or without the exact re-score.
            matched.add(vectorQuery(p, r, t.field(), vector, true, false));
          }
        }
      }
    }
    StringBuilder m = new StringBuilder("{!bool");
    for (int i = 0; i < matched.size(); i++) {
      p.set(MATCHED + "." + i, matched.get(i));
      m.append(" should=$").append(MATCHED).append('.').append(i);
    }
    p.set(MATCHED, m.append('}').toString());
    return "{!bool should=$" + FUSED + " filter=$" + MATCHED + "}";
  }

  /**
   * The sort of a ranked request: the ranking's order (each document's position as a score), then
   * id, then the rest of the matched set, which a page never reaches (the rows stop at the end of
   * the ranking).
   */
  static String rankedSort(String idField) {
    return "query($" + ORDER + ",-1) desc," + idField + " asc";
  }

  /** A query matching the documents with these ids (the examples to fetch). */
  static String idsQuery(String idField, List<String> ids) {
    StringBuilder q = new StringBuilder("{!lucene q.op=OR}");
    for (String id : ids) {
      q.append(idField).append(":\"").append(escapeQuoted(id)).append("\" ");
    }
    return q.toString();
  }

  /**
   * A query matching exactly the fused documents, each scored by its fused score (a float that
   * parses back to itself).
   */
  static String rankedIdsQuery(String idField, List<Ranked<String>> fused) {
    if (fused.isEmpty()) {
      return "-*:*";
    }
    StringBuilder q = new StringBuilder("{!lucene q.op=OR}");
    for (Ranked<String> h : fused) {
      q.append(idField)
          .append(":\"")
          .append(escapeQuoted(h.key()))
          .append("\"^=")
          .append(plain(h.score()))
          .append(' ');
    }
    return q.toString();
  }

  /** A filter that excludes the example documents from the results. */
  static String excludeIdsFilter(String idField, List<String> ids) {
    StringBuilder q = new StringBuilder("{!lucene cache=false}*:*");
    for (String id : ids) {
      q.append(" -").append(idField).append(":\"").append(escapeQuoted(id)).append('"');
    }
    return q.toString();
  }

  /** A float in plain decimal (no exponent: the query parser's numbers have none). */
  static String plain(float f) {
    return new BigDecimal(Float.toString(f)).toPlainString();
  }

  private static String escapeQuoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
