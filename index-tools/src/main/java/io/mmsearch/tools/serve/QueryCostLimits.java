package io.mmsearch.tools.serve;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.search.SearchRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.automaton.ByteRunAutomaton;

/**
 * What one search may cost the server, checked before it runs ({@link #check}) and, for time, while
 * it runs (a Lucene {@link org.apache.lucene.index.QueryTimeout} of {@link #timeBudget()}).
 *
 * <ul>
 *   <li>{@link #maxClauses()}: terms and clauses of the keywords, the query and the filter
 *       together. A query is parsed in microseconds but every clause costs a postings walk.
 *   <li>{@link #maxExpandingClauses()}: fuzzy, wildcard, prefix, regular expression and term range
 *       clauses, each of which walks the terms dictionary before it scores anything (a thousand
 *       fuzzy terms cost seconds of CPU on an index of any size).
 *   <li>{@link #searchableUri()}: whether the {@code uri} field (the absolute paths of the images)
 *       may be queried; off by default, so that a client cannot probe the server's file system
 *       layout through prefix, wildcard or range queries.
 *   <li>{@link #timeBudget()}: how long Lucene may score and walk the HNSW graph for one request;
 *       past it the search stops and the client gets a 503 rather than partial results.
 * </ul>
 *
 * Over a count limit the request is a client error ({@code 400}) naming the limit. Immutable.
 *
 * @param maxClauses the most terms and clauses a request may hold
 * @param maxExpandingClauses the most fuzzy, wildcard, prefix, regexp and range clauses
 * @param searchableUri whether {@code uri} may appear in a query or filter
 * @param timeBudget the longest a request may search
 */
public record QueryCostLimits(
    int maxClauses, int maxExpandingClauses, boolean searchableUri, Duration timeBudget) {

  /** 64 clauses, 8 expanding ones, {@code uri} not searchable, 5 seconds. */
  public static final QueryCostLimits DEFAULTS =
      new QueryCostLimits(64, 8, false, Duration.ofSeconds(5));

  public QueryCostLimits {
    if (maxClauses < 1 || maxExpandingClauses < 0) {
      throw new IllegalArgumentException(
          "clause limits must be positive, got " + maxClauses + " and " + maxExpandingClauses);
    }
    Objects.requireNonNull(timeBudget, "timeBudget");
    if (timeBudget.isNegative() || timeBudget.isZero()) {
      throw new IllegalArgumentException("the time budget must be positive, got " + timeBudget);
    }
  }

  public QueryCostLimits withMaxClauses(int n) {
    return new QueryCostLimits(n, maxExpandingClauses, searchableUri, timeBudget);
  }

  public QueryCostLimits withMaxExpandingClauses(int n) {
    return new QueryCostLimits(maxClauses, n, searchableUri, timeBudget);
  }

  public QueryCostLimits withSearchableUri(boolean searchable) {
    return new QueryCostLimits(maxClauses, maxExpandingClauses, searchable, timeBudget);
  }

  public QueryCostLimits withTimeBudget(Duration budget) {
    return new QueryCostLimits(maxClauses, maxExpandingClauses, searchableUri, budget);
  }

  /**
   * Checks a request's keywords, query and filter against the count limits and the searchable
   * fields.
   *
   * @throws HttpError 400 naming the limit that is exceeded
   */
  public void check(SearchRequest request) {
    Cost cost = new Cost();
    if (request.keywords() != null) {
      // Analysed per field at search time; each word becomes a clause in each text field.
      cost.clauses += request.keywords().strip().split("\\s+").length;
    }
    if (request.keywordQuery() != null) {
      request.keywordQuery().visit(cost);
    }
    if (request.filter() != null) {
      request.filter().visit(cost);
    }
    if (!searchableUri && cost.fields.contains(ImageSchema.URI)) {
      throw new HttpError(400, "the uri field cannot be searched on this server");
    }
    if (cost.clauses > maxClauses) {
      throw new HttpError(
          400,
          "the query has "
              + cost.clauses
              + " terms and clauses, more than the limit of "
              + maxClauses
              + "; make it shorter");
    }
    if (cost.expanding > maxExpandingClauses) {
      throw new HttpError(
          400,
          "the query has "
              + cost.expanding
              + " fuzzy, wildcard, prefix, regular expression or range clauses, more than the"
              + " limit of "
              + maxExpandingClauses);
    }
  }

  /** Counts what a query visits: every leaf, and separately those that expand over terms. */
  private static final class Cost extends QueryVisitor {
    int clauses;
    int expanding;
    final TreeSet<String> fields = new TreeSet<>();

    @Override
    public boolean acceptField(String field) {
      fields.add(field);
      return true;
    }

    @Override
    public void consumeTerms(Query query, Term... terms) {
      clauses += Math.max(1, terms.length);
    }

    @Override
    public void consumeTermsMatching(
        Query query, String field, java.util.function.Supplier<ByteRunAutomaton> automaton) {
      clauses++;
      expanding++;
    }

    @Override
    public void visitLeaf(Query query) {
      clauses++;
      if (query instanceof MultiTermQuery) {
        expanding++;
      }
    }

    @Override
    public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
      return this;
    }
  }
}
