package io.mmsearch.solr.search;

import static io.mmsearch.solr.search.MultimodalParams.*;

import io.mmsearch.semantics.Ranked;
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
   * The kNN query over {@code vector}. As the main query it takes the request's {@code fq}s as
   * pre-filters by itself; {@code nested} adds them explicitly (Solr does not for sub-queries).
   */
  static String vectorQuery(
      ModifiableSolrParams p, MultimodalRequest r, float[] vector, boolean nested) {
    return vectorQuery(p, r, vector, nested, r.rerank);
  }

  /** The kNN query, re-scored exactly or not ({@code rerank}) whatever the request says. */
  private static String vectorQuery(
      ModifiableSolrParams p, MultimodalRequest r, float[] vector, boolean nested, boolean rerank) {
    p.set(QUERY_VECTOR, vectorLiteral(vector));
    StringBuilder q =
        new StringBuilder("{!")
            .append(ExactKnnQParserPlugin.NAME)
            .append(" f=")
            .append(r.field)
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
    p.set(PREFIX + "vectorQuery", vectorQuery(p, r, vector, true));
    p.set(SUM_KEYWORD, "{!boost b=" + plain(r.keywordWeight) + " v=$" + PREFIX + "keywordQuery}");
    p.set(SUM_VECTOR, "{!boost b=" + plain(r.vectorListWeight) + " v=$" + PREFIX + "vectorQuery}");
    return "{!bool should=$" + SUM_KEYWORD + " should=$" + SUM_VECTOR + "}";
  }

  /**
   * The main query of a fused (rrf, linear) request: the fused documents, each scored by its fused
   * score, within the matched set (the keyword matches and the kNN candidates, scored 0), so that
   * {@code numFound} and facets count the matched set as the embedded index does, while the fused
   * documents rank first (see {@link #fusedSort}). Every fused document is in the matched set, so
   * its score is its fused score exactly.
   */
  static String fusedQuery(
      ModifiableSolrParams p,
      MultimodalRequest r,
      float[] vector,
      String keywordFields,
      String idField,
      List<Ranked<String>> fused) {
    p.set(FUSED, rankedIdsQuery(idField, fused));
    p.set(PREFIX + "keywordQuery", keywordQuery(p, r, keywordFields));
    // Membership only: the candidates are the same with or without the exact re-score.
    p.set(PREFIX + "vectorQuery", vectorQuery(p, r, vector, true, false));
    p.set(MATCHED, "{!bool should=$" + PREFIX + "keywordQuery should=$" + PREFIX + "vectorQuery}");
    return "{!bool should=$" + FUSED + " filter=$" + MATCHED + "}";
  }

  /**
   * The sort of a fused request: the fused documents by fused score, then id (the shared tie
   * order), then the rest of the matched set, which a page never reaches (the fused list holds at
   * least the window whenever the matched set is larger). A linear fused score can be 0, the score
   * of the rest, hence the function rather than {@code score}.
   */
  static String fusedSort(String idField) {
    return "query($" + FUSED + ",-1) desc," + idField + " asc";
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

  /** A filter that excludes the like-this example from its own results. */
  static String excludeIdFilter(String idField, String id) {
    return "{!lucene cache=false}*:* -" + idField + ":\"" + escapeQuoted(id) + "\"";
  }

  /** A float in plain decimal (no exponent: the query parser's numbers have none). */
  static String plain(float f) {
    return new BigDecimal(Float.toString(f)).toPlainString();
  }

  private static String escapeQuoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
