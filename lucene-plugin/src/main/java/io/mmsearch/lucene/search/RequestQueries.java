package io.mmsearch.lucene.search;

import io.mmsearch.lucene.schema.ImageSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

/**
 * The Lucene queries of one {@link SearchRequest}, each present only if the request has that part:
 * absence is an empty {@link Optional}, never a {@code null} that a helper could silently turn into
 * "match the filter". Immutable.
 *
 * @param keywords BM25 over {@code caption} and {@code keywords} for the free keywords, OR-ed with
 *     the request's keyword query (unfiltered); empty if the request has no keyword part
 * @param classFilter the chosen classes; empty if none is chosen
 * @param otherFilter the request's filter query and the exclusion of the documents it finds more
 *     like; empty if there is neither
 */
record RequestQueries(
    Optional<Query> keywords, Optional<Query> classFilter, Optional<Query> otherFilter) {

  static RequestQueries of(SearchRequest request, Analyzer analyzer) {
    return new RequestQueries(
        keywordQuery(request, analyzer), classFilter(request), otherFilter(request));
  }

  /** Every filter of the request (classes and the rest); empty if it has none. */
  Optional<Query> filter() {
    return both(classFilter, otherFilter);
  }

  /** The filtered keyword matches, scored by BM25; empty if the request has no keyword part. */
  Optional<Query> keywordMatches() {
    return keywords.map(k -> filtered(k, filter()));
  }

  /** The keyword matches without the class filter (for the sideways class counts). */
  Optional<Query> keywordMatchesOfAnyClass() {
    return keywords.map(k -> filtered(k, otherFilter));
  }

  /** {@code scored} restricted to {@code filter} (a non-scoring clause), if there is one. */
  static Query filtered(Query scored, Optional<Query> filter) {
    return filter
        .<Query>map(
            f -> new BooleanQuery.Builder().add(scored, Occur.MUST).add(f, Occur.FILTER).build())
        .orElse(scored);
  }

  /** The documents matching any of {@code queries}; empty if none is present. */
  @SafeVarargs
  static Optional<Query> anyOf(Optional<Query>... queries) {
    List<Query> present = new ArrayList<>();
    for (Optional<Query> q : queries) {
      q.ifPresent(present::add);
    }
    if (present.size() <= 1) {
      return present.stream().findFirst();
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    present.forEach(q -> b.add(q, Occur.SHOULD));
    return Optional.of(b.build());
  }

  private static Optional<Query> both(Optional<Query> a, Optional<Query> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isPresent() ? a : b;
    }
    return Optional.of(
        new BooleanQuery.Builder().add(a.get(), Occur.FILTER).add(b.get(), Occur.FILTER).build());
  }

  private static Optional<Query> classFilter(SearchRequest r) {
    if (r.classes().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new TermInSetQuery(ImageSchema.CLASS, r.classes().stream().map(BytesRef::new).toList()));
  }

  private static Optional<Query> otherFilter(SearchRequest r) {
    List<String> likeIds = r.likeIds();
    if (likeIds.isEmpty()) {
      return Optional.ofNullable(r.filter());
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(r.filter() != null ? r.filter() : new MatchAllDocsQuery(), Occur.FILTER);
    for (String id : likeIds) {
      b.add(new TermQuery(new Term(ImageSchema.ID, id)), Occur.MUST_NOT);
    }
    return Optional.of(b.build());
  }

  private static Optional<Query> keywordQuery(SearchRequest r, Analyzer analyzer) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    int clauses = 0;
    if (r.keywords() != null) {
      QueryBuilder builder = new QueryBuilder(analyzer);
      for (String field : List.of(ImageSchema.CAPTION, ImageSchema.KEYWORDS)) {
        Query fieldQuery = builder.createBooleanQuery(field, r.keywords(), Occur.SHOULD);
        if (fieldQuery != null) {
          b.add(fieldQuery, Occur.SHOULD);
          clauses++;
        }
      }
    }
    if (r.keywordQuery() != null) {
      b.add(r.keywordQuery(), Occur.SHOULD);
      clauses++;
    }
    return clauses == 0 ? Optional.empty() : Optional.of(b.build());
  }
}
