package io.mmsearch.lucene.search;

import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.InvalidQueryException;
import java.util.List;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.tests.util.LuceneTestCase;

/** The one request type: a value with equality by content, valid by construction. */
public class SearchRequestTest extends LuceneTestCase {

  private static SearchRequest.Builder full() {
    return SearchRequest.builder()
        .text("red car", 2f)
        .image(new byte[] {1, 2, 3})
        .vector(new float[] {0.6f, 0.8f})
        .likeId("d1", 0.5f)
        .keywords("red")
        .keywordQuery(new TermQuery(new Term("caption", "car")))
        .classes("Animals", "Objects")
        .filter(new TermQuery(new Term("mime", "image/png")))
        .k(20)
        .numCandidates(50)
        .oversample(2)
        .rerank(false)
        .fusion(Fusion.linear(0.3f, 0.7f))
        .from(5)
        .size(7)
        .facets(false);
  }

  public void testEqualContentMeansEqualRequests() {
    SearchRequest a = full().build();
    SearchRequest b = full().build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(a, a.toBuilder().build());
    assertNotEquals(a, full().image(new byte[] {9}).build());
    assertNotEquals(a, full().fusion(Fusion.rrf()).build());
    assertNotEquals(a, full().from(6).build());
  }

  public void testArraysAreCopiedInAndOut() {
    byte[] image = {1, 2, 3};
    float[] vector = {0.6f, 0.8f};
    SearchRequest r = SearchRequest.builder().image(image).vector(vector).build();
    image[0] = 9;
    vector[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, ((VectorPart.Image) r.vectorParts().get(0)).bytes());
    ((VectorPart.Raw) r.vectorParts().get(1)).vector()[0] = 7;
    assertEquals(0.6f, ((VectorPart.Raw) r.vectorParts().get(1)).vector()[0], 0f);
  }

  public void testKeywordsAddUpAndNullAddsNothing() {
    SearchRequest r =
        SearchRequest.builder().keywords("red").keywords(null).keywords("car").text(null).build();
    assertEquals("red car", r.keywords());
    assertFalse(r.hasVectorPart());
  }

  public void testWindowAndCandidateCount() {
    SearchRequest r =
        SearchRequest.builder().keywords("x").k(10).from(15).size(10).oversample(1).build();
    assertEquals(25, r.window());
    assertEquals(25, r.candidateCount());
    assertEquals(
        30, SearchRequest.builder().keywords("x").k(10).oversample(3).build().candidateCount());
    assertEquals(
        "a fractional oversample rounds up",
        13,
        SearchRequest.builder().keywords("x").k(10).oversample(1.25f).build().candidateCount());
    assertEquals(
        60, SearchRequest.builder().keywords("x").numCandidates(60).build().candidateCount());
    assertEquals(List.of("d1"), full().build().likeIds());
  }

  public void testByDefaultARequestAsksForTheTargetRecallAndFallsBackToTheDefaultOversample() {
    SearchRequest r = SearchRequest.builder().text("red car").k(10).build();
    assertEquals(0.98, r.targetRecall(), 0);
    assertEquals("not set: the target recall decides", 0f, r.oversample(), 0f);
    assertTrue(r.depth().usesTargetRecall());
    // Without a calibration (a searcher plans with one per reader) the default oversample serves.
    assertEquals((int) Math.ceil(10 * VectorFieldConfig.DEFAULT_OVERSAMPLE), r.candidateCount());
    assertEquals(
        "an explicit numCandidates above the derived count wins",
        100,
        r.toBuilder().numCandidates(100).build().candidateCount());
  }

  public void testAnInvalidRequestNamesTheSetting() {
    assertMessage("nothing to search for", SearchRequest.builder());
    assertMessage("k must be >= 1", SearchRequest.builder().keywords("x").k(0));
    assertMessage("size must be >= 0", SearchRequest.builder().keywords("x").size(-1));
    assertMessage("from must be >= 0", SearchRequest.builder().keywords("x").from(-1));
    assertMessage("oversample", SearchRequest.builder().keywords("x").oversample(0.5f));
    assertMessage("numCandidates", SearchRequest.builder().keywords("x").k(10).numCandidates(5));
    assertMessage("blank", SearchRequest.builder().text(" "));
    assertMessage("blank", SearchRequest.builder().keywords("  "));
    expectThrows(InvalidQueryException.class, () -> SearchRequest.builder().text("x", -1f));
    expectThrows(InvalidQueryException.class, () -> Fusion.rrf(0));
    expectThrows(InvalidQueryException.class, () -> Fusion.linear(Float.NaN, 1f));
    assertMessage(
        "from + size 4294967294",
        SearchRequest.builder().keywords("x").from(Integer.MAX_VALUE).size(Integer.MAX_VALUE));
  }

  public void testSizeZeroAsksForTotalsOnly() {
    assertEquals(0, SearchRequest.builder().keywords("x").size(0).build().size());
  }

  public void testFusionByName() {
    assertEquals(Fusion.rrf(), Fusion.named("RRF"));
    assertEquals(Fusion.linear(1f, 1f), Fusion.named(" linear "));
    InvalidQueryException e =
        expectThrows(InvalidQueryException.class, () -> Fusion.named("borda"));
    assertTrue(e.getMessage(), e.getMessage().contains("borda"));
  }

  private static void assertMessage(String part, SearchRequest.Builder builder) {
    InvalidQueryException e = expectThrows(InvalidQueryException.class, builder::build);
    assertTrue(e.getMessage(), e.getMessage().contains(part));
  }
}
