package io.mmsearch.lucene.parser;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.search.SearchRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;

/**
 * Parses one query string that mixes keyword clauses, filters and vector clauses into a {@link
 * SearchRequest}, extending Lucene's classic {@link MultiFieldQueryParser}.
 *
 * <h2>Syntax</h2>
 *
 * Lucene's classic syntax (AND/OR/NOT, +/-, groups, phrases, boosts, ranges) over the schema
 * fields, plus:
 *
 * <ul>
 *   <li>{@code near:"text"}: a text vector part of the request, embedded when the request runs.
 *   <li>{@code like:<id>} (or {@code like:"id with spaces"}): more like the indexed document with
 *       that id, by its stored vector; that document is left out of the results.
 * </ul>
 *
 * A boost weighs a vector clause once: {@code near:"x"^2 like:y} mixes {@code 2x̂ + ŷ}, each part
 * unit length, the sum normalised (see {@code QueryVectorMixer}). Several vector clauses of either
 * kind are mixed the same way.
 *
 * <p>Unfielded terms search {@code caption} and {@code keywords}. Exact fields ({@code class},
 * {@code subclass}, {@code id}, {@code uri}, {@code mime}, {@code content_hash}) match the whole
 * value verbatim; {@code width}/{@code height} take integers and ranges ({@code width:[32 TO
 * 128]}).
 *
 * <h2>Decomposition</h2>
 *
 * The parsed top-level clauses are split: vector clauses form the vector part; required ({@code
 * AND}/{@code +}) clauses that touch only exact or numeric fields, and all prohibited clauses,
 * become the filter (applied inside the kNN search too); the other clauses, with their occur, form
 * the BM25 keyword query. A query with only filters lists the filtered documents. Vector clauses
 * must be top-level and not negated.
 *
 * <p>Errors are {@link QueryParseException}s carrying the 1-based column. Not thread-safe (Lucene
 * query parsers are not); create one per thread, which is cheap.
 */
public final class MultimodalQueryParser extends MultiFieldQueryParser {

  /** The field name of text vector clauses. */
  public static final String NEAR = "near";

  /** The field name of more-like-this clauses. */
  public static final String LIKE = "like";

  private static final Pattern LUCENE_COLUMN =
      Pattern.compile(",? ?at line \\d+, column (\\d+)\\.?");
  private static final Set<String> KNOWN_FIELDS = knownFields();

  /**
   * @param analyzer the schema analyzer ({@link ImageSchema#newAnalyzer()}); the caller closes it
   */
  public MultimodalQueryParser(Analyzer analyzer) {
    super(new String[] {ImageSchema.CAPTION, ImageSchema.KEYWORDS}, analyzer);
  }

  private static Set<String> knownFields() {
    Set<String> fields = new HashSet<>();
    fields.addAll(ImageSchema.EXACT_FIELDS);
    fields.addAll(ImageSchema.INT_FIELDS);
    fields.addAll(ImageSchema.TEXT_FIELDS);
    fields.add(NEAR);
    fields.add(LIKE);
    return Set.copyOf(fields);
  }

  /**
   * Parses a query string.
   *
   * @return a builder holding the keyword query, filter and vector parts; set k, size, fusion etc.
   *     on it and build
   * @throws QueryParseException with the column and the reason
   */
  public SearchRequest.Builder parseRequest(String queryString) {
    Query parsed;
    try {
      parsed = parse(queryString);
    } catch (ParseException e) {
      throw new QueryParseException(columnOf(e), reasonOf(e), e);
    }
    return decompose(parsed);
  }

  // ---- field handling at parse time ----

  @Override
  protected Query getFieldQuery(String field, String queryText, boolean quoted)
      throws ParseException {
    if (field == null) {
      return super.getFieldQuery(null, queryText, quoted);
    }
    checkKnown(field);
    return switch (field) {
      case NEAR -> vectorClause(NEAR, queryText);
      case LIKE -> vectorClause(LIKE, queryText);
      default -> {
        if (ImageSchema.EXACT_FIELDS.contains(field)) {
          yield new TermQuery(new Term(field, queryText));
        }
        if (ImageSchema.INT_FIELDS.contains(field)) {
          yield IntPoint.newExactQuery(field, parseInt(field, queryText));
        }
        yield super.getFieldQuery(field, queryText, quoted);
      }
    };
  }

  @Override
  protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
    if (field != null && (NEAR.equals(field) || LIKE.equals(field))) {
      // Quoted text arrives here with the default slop 0; only an explicit ~N is an error.
      if (slop != getPhraseSlop()) {
        throw error(field + ": does not take a proximity (~) suffix");
      }
      return getFieldQuery(field, queryText, true);
    }
    if (field != null) checkKnown(field);
    return super.getFieldQuery(field, queryText, slop);
  }

  @Override
  protected Query getRangeQuery(
      String field, String part1, String part2, boolean startInclusive, boolean endInclusive)
      throws ParseException {
    if (field != null) {
      checkKnown(field);
      rejectVectorField(field, "a range");
      if (ImageSchema.INT_FIELDS.contains(field)) {
        int lo = part1 == null || "*".equals(part1) ? Integer.MIN_VALUE : parseInt(field, part1);
        int hi = part2 == null || "*".equals(part2) ? Integer.MAX_VALUE : parseInt(field, part2);
        if (!startInclusive) lo = Math.addExact(lo, 1);
        if (!endInclusive) hi = Math.addExact(hi, -1);
        return IntPoint.newRangeQuery(field, lo, hi);
      }
    }
    return super.getRangeQuery(field, part1, part2, startInclusive, endInclusive);
  }

  @Override
  protected Query getPrefixQuery(String field, String termStr) throws ParseException {
    if (field != null) {
      checkKnown(field);
      rejectVectorField(field, "a prefix (*)");
    }
    return super.getPrefixQuery(field, termStr);
  }

  @Override
  protected Query getWildcardQuery(String field, String termStr) throws ParseException {
    if (field != null) {
      checkKnown(field);
      rejectVectorField(field, "a wildcard");
    }
    return super.getWildcardQuery(field, termStr);
  }

  @Override
  protected Query getFuzzyQuery(String field, String termStr, float minSimilarity)
      throws ParseException {
    if (field != null) {
      checkKnown(field);
      rejectVectorField(field, "a fuzzy (~)");
    }
    return super.getFuzzyQuery(field, termStr, minSimilarity);
  }

  @Override
  protected Query getRegexpQuery(String field, String termStr) throws ParseException {
    if (field != null) {
      checkKnown(field);
      rejectVectorField(field, "a regular expression");
    }
    return super.getRegexpQuery(field, termStr);
  }

  private Query vectorClause(String kind, String value) throws ParseException {
    int column = currentColumn();
    if (value.isBlank()) {
      throw new PositionedParseException(column, kind + ": value is empty");
    }
    return new VectorClause(kind, value, column);
  }

  private void checkKnown(String field) throws ParseException {
    if (!KNOWN_FIELDS.contains(field)) {
      throw error("unknown field '" + field + "'; known fields: " + new TreeSet<>(KNOWN_FIELDS));
    }
  }

  private void rejectVectorField(String field, String what) throws ParseException {
    if (NEAR.equals(field) || LIKE.equals(field)) {
      throw error(field + ": does not accept " + what + " query");
    }
  }

  private int parseInt(String field, String text) throws ParseException {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw error(field + ": expects an integer, got '" + text + "'");
    }
  }

  private ParseException error(String reason) {
    return new PositionedParseException(currentColumn(), reason);
  }

  /** 1-based column of the token the parser consumed last: the value of the current clause. */
  private int currentColumn() {
    Token t = token;
    return t == null ? 0 : t.beginColumn + 1; // JavaCC columns here are 0-based offsets
  }

  private static int columnOf(ParseException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PositionedParseException p) {
        return p.column;
      }
      if (t instanceof ParseException pe
          && pe.currentToken != null
          && pe.currentToken.next != null) {
        return pe.currentToken.next.beginColumn + 1;
      }
    }
    // Lexical errors (TokenMgrError) state their 0-based column only in the message.
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher m = LUCENE_COLUMN.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return Integer.parseInt(m.group(1)) + 1;
      }
    }
    return 0;
  }

  private static String reasonOf(ParseException e) {
    // The innermost cause is the actual complaint. Drop Lucene's "Cannot parse '...': " wrapper
    // and its 0-based position: QueryParseException states the 1-based column once.
    Throwable t = e;
    while (!(t instanceof PositionedParseException) && t.getCause() != null) {
      t = t.getCause();
    }
    String message =
        t instanceof PositionedParseException p ? p.reason : String.valueOf(t.getMessage());
    message = message.replaceFirst("^Cannot parse '.*?': ", "");
    message = LUCENE_COLUMN.matcher(message).replaceAll("");
    return message.replaceAll("\\s+", " ").trim();
  }

  /** A parse error raised by this parser, with its 1-based column. */
  private static final class PositionedParseException extends ParseException {
    private static final long serialVersionUID = 1L;
    final int column;
    final String reason;

    PositionedParseException(int column, String reason) {
      super("column " + column + ": " + reason);
      this.column = column;
      this.reason = reason;
    }
  }

  // ---- decomposition ----

  private SearchRequest.Builder decompose(Query parsed) {
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
        if (NEAR.equals(vc.kind)) {
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

  /**
   * Parses a filter: any query of the syntax without vector clauses, e.g. {@code class:Animals AND
   * width:[1 TO 64]}.
   *
   * @throws QueryParseException with the column and the reason, also for a {@code near:} or {@code
   *     like:} clause anywhere in it
   */
  public Query parseFilter(String filterString) {
    Query parsed;
    try {
      parsed = parse(filterString);
    } catch (ParseException e) {
      throw new QueryParseException(columnOf(e), reasonOf(e), e);
    }
    VectorClause vc = findVectorClause(parsed);
    if (vc != null) {
      throw new QueryParseException(vc.column, vc.kind + ": cannot be part of a filter", null);
    }
    return parsed;
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

  private static VectorClause findVectorClause(Query q) {
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

  /** Parse-time placeholder for a vector clause; never executed (decomposition removes it). */
  private static final class VectorClause extends Query {
    final String kind;
    final String value;
    final int column;

    VectorClause(String kind, String value, int column) {
      this.kind = kind;
      this.value = value;
      this.column = column;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
      throw new UnsupportedOperationException("vector clauses are decomposed, not executed");
    }

    @Override
    public String toString(String field) {
      return kind + ":\"" + value + "\"";
    }

    @Override
    public void visit(QueryVisitor visitor) {
      visitor.visitLeaf(this);
    }

    @Override
    public boolean equals(Object other) {
      return this == other;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }
}
