package io.mmsearch.lucene.parser;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.search.SearchRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;

/**
 * Splits a parsed {@link MultimodalQueryParser} query into the parts of a {@link SearchRequest}:
 * top-level vector clauses become the vector part, required clauses over exact or numeric fields
 * and every prohibited clause the filter, the rest the BM25 keyword query. Stateless.
 */
final class QueryDecomposition {

  private QueryDecomposition() {}

  /**
   * The request a parsed query describes: its vector clauses, filter and keyword query, as the
   * parser's class documentation says.
   *
   * @throws QueryParseException for a negated or nested vector clause
   */
  static SearchRequest.Builder toRequest(Query parsed) {
    List<BooleanClause> clauses = new ArrayList<>();
    if (parsed instanceof BooleanQuery bq) {
      clauses.addAll(bq.clauses());
    } else {
      clauses.add(new BooleanClause(parsed, Occur.MUST));
    }
    SearchRequest.Builder out = SearchRequest.builder();
    BooleanQuery.Builder keyword = new BooleanQuery.Builder();
    BooleanQuery.Builder filter = new BooleanQuery.Builder();
    int keywordClauses = 0;
    int filterClauses = 0;
    int positiveFilters = 0;
    int vectorClauses = 0;
    for (BooleanClause clause : clauses) {
      Query q = clause.query();
      float boost = 1f;
      if (q instanceof BoostQuery b && b.getQuery() instanceof VectorClause) {
        boost = b.getBoost();
        q = b.getQuery();
      }
      if (q instanceof VectorClause vc) {
        if (clause.occur() == Occur.MUST_NOT) {
          throw new QueryParseException(vc.column, vc.kind + ": clauses cannot be negated", null);
        }
        if (MultimodalQueryParser.NEAR.equals(vc.kind)) {
          out.text(vc.value, boost);
        } else {
          out.likeId(vc.value, boost);
        }
        vectorClauses++;
        continue;
      }
      rejectNestedVectorClause(q);
      if (clause.occur() == Occur.MUST_NOT) {
        filter.add(q, Occur.MUST_NOT);
        filterClauses++;
      } else if ((clause.occur() == Occur.MUST || clause.occur() == Occur.FILTER)
          && onlyFilterFields(q)) {
        filter.add(q, Occur.FILTER);
        filterClauses++;
        positiveFilters++;
      } else {
        keyword.add(q, clause.occur());
        keywordClauses++;
      }
    }
    if (filterClauses > 0) {
      if (positiveFilters == 0) {
        filter.add(new MatchAllDocsQuery(), Occur.FILTER);
      }
      out.filter(filter.build());
    }
    if (keywordClauses > 0) {
      out.keywordQuery(keyword.build());
    } else if (vectorClauses == 0) {
      // Only filters: list the filtered documents.
      out.keywordQuery(new MatchAllDocsQuery());
    }
    return out;
  }

  private static void rejectNestedVectorClause(Query q) {
    VectorClause nested = findVectorClause(q);
    if (nested != null) {
      throw new QueryParseException(
          nested.column,
          nested.kind + ": must be a top-level clause, not inside a group or boost",
          null);
    }
  }

  private static boolean onlyFilterFields(Query q) {
    Set<String> fields = new HashSet<>();
    q.visit(
        new QueryVisitor() {
          @Override
          public boolean acceptField(String field) {
            fields.add(field);
            return true;
          }

          @Override
          public QueryVisitor getSubVisitor(Occur occur, Query parent) {
            return this;
          }
        });
    if (fields.isEmpty()) {
      return false;
    }
    for (String f : fields) {
      if (!ImageSchema.EXACT_FIELDS.contains(f) && !ImageSchema.INT_FIELDS.contains(f)) {
        return false;
      }
    }
    return true;
  }

  /** The first vector clause anywhere in {@code q}, or null. */
  static VectorClause findVectorClause(Query q) {
    if (q instanceof VectorClause vc) return vc;
    if (q instanceof BoostQuery b) return findVectorClause(b.getQuery());
    if (q instanceof BooleanQuery bq) {
      for (BooleanClause c : bq.clauses()) {
        VectorClause found = findVectorClause(c.query());
        if (found != null) return found;
      }
    }
    return null;
  }
}
