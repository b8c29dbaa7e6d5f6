package io.mmsearch.lucene.parser;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.VectorPart;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.tests.util.LuceneTestCase;

/** The query-string syntax: decomposition into keyword, filter and vector parts, and errors. */
public class MultimodalQueryParserTest extends LuceneTestCase {
  private static final int DIM = 8;
  private static final ModelIdentity MODEL = new ModelIdentity("parser-test-model", DIM);

  private Analyzer analyzer;
  private MultimodalQueryParser parser;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    analyzer = ImageSchema.newAnalyzer();
    parser = new MultimodalQueryParser(analyzer);
  }

  @Override
  public void tearDown() throws Exception {
    analyzer.close();
    super.tearDown();
  }

  public void testIssueExampleSplitsIntoKeywordsFilterAndATextVectorPart() {
    SearchRequest q =
        parser
            .parseRequest(
                "caption:(red car) AND class:\"Travel & Places\" near:\"a fast red vehicle\"")
            .build();
    assertEquals(List.of(new VectorPart.Text("a fast red vehicle", 1f)), q.vectorParts());
    assertEquals(Set.of(ImageSchema.CAPTION), fields(q.keywordQuery()));
    assertTrue(
        q.filter().toString(),
        clauses(q.filter())
            .contains(new TermQuery(new Term(ImageSchema.CLASS, "Travel & Places"))));
  }

  public void testLikeClauseAddsADocumentToFindMoreLike() {
    assertEquals(List.of("d17"), parser.parseRequest("like:d17").build().likeIds());
    assertEquals(
        List.of("my image 3"), parser.parseRequest("like:\"my image 3\"").build().likeIds());
    SearchRequest hyphenated = parser.parseRequest("like:car-1 -class:Animals").build();
    assertEquals(List.of("car-1"), hyphenated.likeIds());
    assertNotNull(hyphenated.filter());
    SearchRequest weighted = parser.parseRequest("like:d17^2 cat").build();
    assertEquals(List.of(new VectorPart.Like("d17", 2f)), weighted.vectorParts());
    assertNotNull(weighted.keywordQuery());
  }

  public void testEachVectorClauseIsOnePartWeighedByItsBoostOnce() {
    SearchRequest q =
        parser.parseRequest("near:\"red car\" near:\"blue boat\"^3 like:d2^0.5").build();
    assertEquals(
        List.of(
            new VectorPart.Text("red car", 1f),
            new VectorPart.Text("blue boat", 3f),
            new VectorPart.Like("d2", 0.5f)),
        q.vectorParts());
  }

  public void testTheSameStringParsesToEqualRequests() {
    String query = "near:\"red car\"^2 like:d2 +class:Animals -width:[0 TO 8] cat";
    assertEquals(parser.parseRequest(query).build(), parser.parseRequest(query).build());
    assertEquals(
        parser.parseRequest(query).build().hashCode(),
        parser.parseRequest(query).build().hashCode());
    assertNotEquals(parser.parseRequest(query).build(), parser.parseRequest("cat").build());
  }

  public void testUnfieldedTermsSearchCaptionAndKeywords() {
    SearchRequest q = parser.parseRequest("red car").build();
    assertEquals(Set.of(ImageSchema.CAPTION, ImageSchema.KEYWORDS), fields(q.keywordQuery()));
    assertNull(q.filter());
    assertFalse(q.hasVectorPart());
  }

  public void testNegatedClauseBecomesAnExclusionFilter() {
    SearchRequest q = parser.parseRequest("cat -class:Animals").build();
    BooleanQuery filter = (BooleanQuery) q.filter();
    assertTrue(
        filter
            .clauses()
            .contains(
                new BooleanClause(
                    new TermQuery(new Term(ImageSchema.CLASS, "Animals")), Occur.MUST_NOT)));
    assertTrue(filter.clauses().contains(new BooleanClause(new MatchAllDocsQuery(), Occur.FILTER)));
  }

  public void testIntegerRangesOnWidthAndHeightAreFilters() {
    SearchRequest q = parser.parseRequest("+width:[32 TO 128} +height:64 cat").build();
    Set<Query> filters = clauses(q.filter());
    assertTrue(filters.toString(), filters.contains(IntPoint.newRangeQuery("width", 32, 127)));
    assertTrue(filters.toString(), filters.contains(IntPoint.newExactQuery("height", 64)));
  }

  public void testRequiredKeywordClauseStaysInTheKeywordQuery() {
    SearchRequest q = parser.parseRequest("+caption:cat dog").build();
    assertNull(q.filter());
    assertEquals(2, ((BooleanQuery) q.keywordQuery()).clauses().size());
  }

  public void testFilterOnlyQueryListsTheFilteredDocuments() {
    SearchRequest q = parser.parseRequest("class:Animals").build();
    assertEquals(new MatchAllDocsQuery(), q.keywordQuery());
    assertNotNull(q.filter());
  }

  public void testSyntaxErrorReportsTheColumn() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseRequest("red AND OR car"));
    assertEquals(e.getMessage(), 9, e.column());
    assertTrue(e.getMessage(), e.getMessage().startsWith("column 9: "));
  }

  public void testUnclosedGroupReportsTheColumn() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseRequest("caption:(red car"));
    assertTrue(e.getMessage(), e.column() > 0);
  }

  public void testNearInsideAGroupIsRejectedAtItsColumn() {
    QueryParseException e =
        expectThrows(
            QueryParseException.class, () -> parser.parseRequest("cat OR (dog near:\"x\")"));
    assertEquals(e.getMessage(), 18, e.column());
    assertTrue(e.getMessage(), e.getMessage().contains("top-level"));
  }

  public void testNegatedNearIsRejected() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseRequest("cat -near:\"x\""));
    assertEquals(e.getMessage(), 11, e.column());
    assertTrue(e.getMessage(), e.getMessage().contains("cannot be negated"));
  }

  public void testUnknownFieldIsRejectedWithItsColumn() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseRequest("cat colour:red"));
    assertEquals(e.getMessage(), 12, e.column());
    assertTrue(e.getMessage(), e.getMessage().contains("unknown field 'colour'"));
  }

  public void testEmptyNearTextIsRejectedAtItsColumn() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseRequest("cat near:\" \""));
    assertEquals(e.getMessage(), 10, e.column());
    assertTrue(e.getMessage(), e.getMessage().contains("empty"));
  }

  public void testAVectorClauseInAFilterIsRejectedAtItsColumn() {
    QueryParseException e =
        expectThrows(
            QueryParseException.class, () -> parser.parseFilter("class:Animals AND like:d1"));
    assertEquals(e.getMessage(), 24, e.column());
    assertTrue(e.getMessage(), e.getMessage().contains("cannot be part of a filter"));
    assertEquals(
        new TermQuery(new Term(ImageSchema.CLASS, "Animals")), parser.parseFilter("class:Animals"));
  }

  public void testNonIntegerWidthIsAnError() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseRequest("width:wide"));
    assertTrue(e.getMessage(), e.getMessage().contains("expects an integer"));
  }

  public void testWildcardOnAVectorFieldIsAnError() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseRequest("near:car*"));
    assertTrue(e.getMessage(), e.getMessage().contains("does not accept a prefix"));
  }

  private static Set<String> fields(Query q) {
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
    return fields;
  }

  private static Set<Query> clauses(Query q) {
    Set<Query> out = new HashSet<>();
    if (q instanceof BooleanQuery bq) {
      for (BooleanClause c : bq.clauses()) {
        out.addAll(clauses(c.query()));
      }
    } else {
      out.add(q);
    }
    return out;
  }
}
