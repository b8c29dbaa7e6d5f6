package io.mmsearch.lucene.parser;

import io.mmsearch.lucene.TestEncoders;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.ModelIdentity;
import io.mmsearch.lucene.search.MultimodalQuery;
import java.util.HashSet;
import java.util.Map;
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
  private TestEncoders.CountingEncoder encoder;
  private MultimodalQueryParser parser;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    analyzer = ImageSchema.newAnalyzer();
    encoder = TestEncoders.deterministic(MODEL, Map.of());
    parser = new MultimodalQueryParser(encoder, analyzer);
  }

  @Override
  public void tearDown() throws Exception {
    analyzer.close();
    super.tearDown();
  }

  public void testIssueExampleSplitsIntoKeywordsFilterAndAVectorEncodedAtParseTime() {
    MultimodalQuery q =
        parser
            .parseMultimodal(
                "caption:(red car) AND class:\"Travel & Places\" near:\"a fast red vehicle\"")
            .build();
    assertEquals("near: is encoded once, at parse time", 1, encoder.textCalls.get());
    assertArrayEquals(
        TestEncoders.vectorOf("a fast red vehicle", DIM), q.vector().orElseThrow(), 0f);
    assertEquals(Set.of(ImageSchema.CAPTION), fields(q.keywordQuery().orElseThrow()));
    Query filter = q.filter().orElseThrow();
    assertTrue(
        filter.toString(),
        clauses(filter).contains(new TermQuery(new Term(ImageSchema.CLASS, "Travel & Places"))));
  }

  public void testLikeClauseSetsTheExampleId() {
    assertEquals("d17", parser.parseMultimodal("like:d17").build().likeId().orElseThrow());
    assertEquals(
        "my image 3", parser.parseMultimodal("like:\"my image 3\"").build().likeId().orElseThrow());
    MultimodalQuery hyphenated = parser.parseMultimodal("like:car-1 -class:Animals").build();
    assertEquals("car-1", hyphenated.likeId().orElseThrow());
    assertTrue(hyphenated.filter().isPresent());
    MultimodalQuery weighted = parser.parseMultimodal("like:d17^2 cat").build();
    assertEquals(2f, weighted.likeWeight(), 0f);
    assertTrue(weighted.keywordQuery().isPresent());
  }

  public void testSeveralNearClausesAreMixedByBoost() {
    MultimodalQuery q = parser.parseMultimodal("near:\"red car\" near:\"blue boat\"^3").build();
    float[] a = TestEncoders.vectorOf("red car", DIM);
    float[] b = TestEncoders.vectorOf("blue boat", DIM);
    float[] v = q.vector().orElseThrow();
    for (int i = 0; i < DIM; i++) {
      assertEquals(a[i] + 3 * b[i], v[i], 1e-6f);
    }
  }

  public void testUnfieldedTermsSearchCaptionAndKeywords() {
    MultimodalQuery q = parser.parseMultimodal("red car").build();
    assertEquals(
        Set.of(ImageSchema.CAPTION, ImageSchema.KEYWORDS), fields(q.keywordQuery().orElseThrow()));
    assertFalse(q.filter().isPresent());
    assertFalse(q.hasVectorPart());
  }

  public void testNegatedClauseBecomesAnExclusionFilter() {
    MultimodalQuery q = parser.parseMultimodal("cat -class:Animals").build();
    BooleanQuery filter = (BooleanQuery) q.filter().orElseThrow();
    assertTrue(
        filter
            .clauses()
            .contains(
                new BooleanClause(
                    new TermQuery(new Term(ImageSchema.CLASS, "Animals")), Occur.MUST_NOT)));
    assertTrue(filter.clauses().contains(new BooleanClause(new MatchAllDocsQuery(), Occur.FILTER)));
  }

  public void testIntegerRangesOnWidthAndHeightAreFilters() {
    MultimodalQuery q = parser.parseMultimodal("+width:[32 TO 128} +height:64 cat").build();
    Set<Query> filters = clauses(q.filter().orElseThrow());
    assertTrue(filters.toString(), filters.contains(IntPoint.newRangeQuery("width", 32, 127)));
    assertTrue(filters.toString(), filters.contains(IntPoint.newExactQuery("height", 64)));
  }

  public void testRequiredKeywordClauseStaysInTheKeywordQuery() {
    MultimodalQuery q = parser.parseMultimodal("+caption:cat dog").build();
    assertFalse(q.filter().isPresent());
    assertEquals(2, ((BooleanQuery) q.keywordQuery().orElseThrow()).clauses().size());
  }

  public void testFilterOnlyQueryListsTheFilteredDocuments() {
    MultimodalQuery q = parser.parseMultimodal("class:Animals").build();
    assertEquals(new MatchAllDocsQuery(), q.keywordQuery().orElseThrow());
    assertTrue(q.filter().isPresent());
  }

  public void testSyntaxErrorReportsTheColumn() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseMultimodal("red AND OR car"));
    assertEquals(e.getMessage(), 9, e.column());
    assertTrue(e.getMessage(), e.getMessage().startsWith("column 9: "));
  }

  public void testUnclosedGroupReportsTheColumn() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseMultimodal("caption:(red car"));
    assertTrue(e.getMessage(), e.column() > 0);
  }

  public void testNearInsideAGroupIsRejectedAtItsColumn() {
    QueryParseException e =
        expectThrows(
            QueryParseException.class, () -> parser.parseMultimodal("cat OR (dog near:\"x\")"));
    assertEquals(e.getMessage(), 18, e.column());
    assertTrue(e.getMessage(), e.getMessage().contains("top-level"));
  }

  public void testNegatedNearIsRejected() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseMultimodal("cat -near:\"x\""));
    assertEquals(e.getMessage(), 11, e.column());
    assertTrue(e.getMessage(), e.getMessage().contains("cannot be negated"));
  }

  public void testUnknownFieldIsRejectedWithItsColumn() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseMultimodal("cat colour:red"));
    assertEquals(e.getMessage(), 12, e.column());
    assertTrue(e.getMessage(), e.getMessage().contains("unknown field 'colour'"));
  }

  public void testEncoderFailureIsReportedWithTheColumnOfTheText() {
    QueryParseException e =
        expectThrows(
            QueryParseException.class, () -> parser.parseMultimodal("cat near:\"boom box\""));
    assertEquals(e.getMessage(), 10, e.column());
    assertTrue(e.getMessage(), e.getMessage().contains("could not be encoded"));
  }

  public void testNearWithoutAnEncoderIsAnError() {
    MultimodalQueryParser noEncoder = new MultimodalQueryParser(null, analyzer);
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> noEncoder.parseMultimodal("near:\"cat\""));
    assertTrue(e.getMessage(), e.getMessage().contains("needs a query encoder"));
    assertEquals(
        "like:d1 needs no encoder",
        "d1",
        noEncoder.parseMultimodal("like:d1").build().likeId().orElseThrow());
  }

  public void testNonIntegerWidthIsAnError() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseMultimodal("width:wide"));
    assertTrue(e.getMessage(), e.getMessage().contains("expects an integer"));
  }

  public void testWildcardOnAVectorFieldIsAnError() {
    QueryParseException e =
        expectThrows(QueryParseException.class, () -> parser.parseMultimodal("near:car*"));
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
