package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.TestEncoders;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.semantics.Fusion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.QueryBuilder;

/** Hybrid keyword + vector search through {@link MultimodalSearcher}. */
public class HybridSearchTest extends LuceneTestCase {
  private static final int DIM = 16;
  private static final ModelIdentity MODEL = new ModelIdentity("hybrid-test-model", DIM);

  private Directory dir;
  private MultimodalIndexWriter writer;
  private MultimodalSearcher searcher;
  private TestEncoders.CountingEncoder encoder;
  private List<ImageDocument> docs;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    dir = newDirectory();
    VectorFormat format = VectorFormat.values()[random().nextInt(VectorFormat.values().length)];
    writer =
        MultimodalIndexWriter.open(
            dir,
            MultimodalIndexConfig.builder(MODEL)
                .imageVectorConfig(VectorFieldConfig.of(format))
                .writerTuning(iwc -> iwc.setMaxBufferedDocs(TestUtil.nextInt(random(), 20, 80)))
                .build());
    docs = RandomImageCorpus.documents(random(), TestUtil.nextInt(random(), 150, 250), DIM);
    writer.upsertAll(docs);
    writer.refresh();
    encoder = TestEncoders.deterministic(MODEL, Map.of());
    searcher =
        MultimodalSearcher.builder()
            .nearRealTime(writer)
            .queryEncoder(encoder)
            .exactScorer(new JavaExactScorer())
            .build();
  }

  @Override
  public void tearDown() throws Exception {
    searcher.close();
    writer.close();
    dir.close();
    super.tearDown();
  }

  private SearchRequest.Builder hybrid() {
    return SearchRequest.builder()
        .keywords(RandomImageCorpus.WORDS[random().nextInt(RandomImageCorpus.WORDS.length)])
        .vector(RandomImageCorpus.unitVector(random(), DIM));
  }

  public void testRrfFusedScoreIsTheSumOfReciprocalRanks() throws IOException {
    int k = TestUtil.nextInt(random(), 5, 20);
    int rankConstant = TestUtil.nextInt(random(), 1, 100);
    SearchRequest q = hybrid().k(k).size(2 * k).fusion(Fusion.rrf(rankConstant)).build();
    int window = q.window(); // each list is read this deep
    SearchResults results = searcher.search(q);
    assertFalse(results.hits().isEmpty());
    float previous = Float.POSITIVE_INFINITY;
    for (Hit hit : results.hits()) {
      HitExplanation e = hit.explanation();
      float expected = 0;
      if (e.keywordRank() > 0) expected += 1f / (rankConstant + e.keywordRank());
      if (e.exactVectorRank() > 0 && e.exactVectorRank() <= window) {
        expected += 1f / (rankConstant + e.exactVectorRank());
      }
      assertEquals(hit.id() + " " + e, expected, hit.score(), 1e-6f);
      assertTrue("ordered by fused score", hit.score() <= previous);
      previous = hit.score();
    }
  }

  public void testLinearFusedScoreIsTheWeightedSumOfMinMaxNormalisedScores() throws IOException {
    int k = TestUtil.nextInt(random(), 5, 20);
    float wk = random().nextFloat();
    float wv = random().nextFloat();
    String word = RandomImageCorpus.WORDS[random().nextInt(RandomImageCorpus.WORDS.length)];
    float[] vector = RandomImageCorpus.unitVector(random(), DIM);
    // numCandidates = all documents: the vector list is then the brute-force exact top k.
    SearchRequest q =
        SearchRequest.builder()
            .keywords(word)
            .vector(vector)
            .k(k)
            .size(k)
            .numCandidates(docs.size())
            .fusion(Fusion.linear(wk, wv))
            .build();
    SearchResults results = searcher.search(q);

    // Independent keyword list: plain BM25 top k.
    Map<String, Float> keyword = new HashMap<>();
    IndexSearcher plain = writer.searcherManager().acquire();
    try {
      for (ScoreDoc sd : plain.search(bm25(word), k).scoreDocs) {
        keyword.put(plain.storedFields().document(sd.doc).get(ImageSchema.ID), sd.score);
      }
    } finally {
      writer.searcherManager().release(plain);
    }
    // Independent vector list: exact scores of every document, top k.
    Map<String, Float> exact = new HashMap<>();
    docs.stream()
        .map(d -> Map.entry(d.id(), Math.max((1 + dot(vector, d.imageVector())) / 2, 0f)))
        .sorted((a, b) -> Float.compare(b.getValue(), a.getValue()))
        .limit(k)
        .forEach(e -> exact.put(e.getKey(), e.getValue()));

    float kwMax = keyword.values().stream().max(Float::compare).orElse(0f);
    float kwMin = keyword.values().stream().min(Float::compare).orElse(0f);
    float vMax = exact.values().stream().max(Float::compare).orElseThrow();
    float vMin = exact.values().stream().min(Float::compare).orElseThrow();
    for (Hit hit : results.hits()) {
      float expected = 0;
      if (keyword.containsKey(hit.id())) {
        float s = keyword.get(hit.id());
        expected += wk * (kwMax == kwMin ? 1f : (s - kwMin) / (kwMax - kwMin));
      }
      if (exact.containsKey(hit.id())) {
        float s = exact.get(hit.id());
        expected += wv * (vMax == vMin ? 1f : (s - vMin) / (vMax - vMin));
      }
      assertEquals(hit.id() + " " + hit.explanation(), expected, hit.score(), 1e-5f);
    }
  }

  private Query bm25(String words) throws IOException {
    try (Analyzer analyzer = ImageSchema.newAnalyzer()) {
      QueryBuilder qb = new QueryBuilder(analyzer);
      return new BooleanQuery.Builder()
          .add(qb.createBooleanQuery(ImageSchema.CAPTION, words), Occur.SHOULD)
          .add(qb.createBooleanQuery(ImageSchema.KEYWORDS, words), Occur.SHOULD)
          .build();
    }
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) sum += a[i] * b[i];
    return sum;
  }

  public void testPagesAreConsecutiveSlicesOfOneRanking() throws IOException {
    int n = TestUtil.nextInt(random(), 1, 10);
    SearchRequest.Builder base =
        random().nextBoolean()
            ? hybrid()
            : SearchRequest.builder().vector(RandomImageCorpus.unitVector(random(), DIM));
    base.k(2 * n).fusion(random().nextBoolean() ? Fusion.rrf() : Fusion.linear(0.5f, 0.5f));
    List<String> all = ids(searcher.search(base.from(0).size(2 * n).build()));
    List<String> page1 = ids(searcher.search(base.from(0).size(n).build()));
    List<String> page2 = ids(searcher.search(base.from(n).size(n).build()));
    List<String> joined = new java.util.ArrayList<>(page1);
    joined.addAll(page2);
    assertEquals(all, joined);
  }

  public void testKeywordOnlyQueryRanksLikeBm25OverCaptionAndKeywords() throws IOException {
    String word = RandomImageCorpus.WORDS[random().nextInt(RandomImageCorpus.WORDS.length)];
    SearchResults results = searcher.search(SearchRequest.builder().keywords(word).k(10).build());
    IndexSearcher plain = writer.searcherManager().acquire();
    try {
      Query expected = bm25(word);
      TopDocs top = plain.search(expected, 10);
      assertEquals(top.scoreDocs.length, results.hits().size());
      for (int i = 0; i < top.scoreDocs.length; i++) {
        assertEquals(top.scoreDocs[i].doc, results.hits().get(i).docId());
        assertEquals(top.scoreDocs[i].score, results.hits().get(i).score(), 0f);
        assertEquals(i + 1, results.hits().get(i).explanation().keywordRank());
      }
      assertEquals(plain.count(expected), results.totalMatches());
    } finally {
      writer.searcherManager().release(plain);
    }
  }

  public void testClassFacetsCountTheKnnCandidatesOfAVectorQuery() throws IOException {
    int candidates = TestUtil.nextInt(random(), 10, 60);
    float[] vector = RandomImageCorpus.unitVector(random(), DIM);
    SearchResults results =
        searcher.search(
            SearchRequest.builder()
                .vector(vector)
                .k(5)
                .numCandidates(candidates)
                .oversample(1)
                .build());
    assertEquals(candidates, results.totalMatches());
    IndexSearcher plain = writer.searcherManager().acquire();
    try {
      TopDocs knn =
          plain.search(
              new KnnFloatVectorQuery(ImageSchema.IMAGE_VECTOR, vector, candidates), candidates);
      Map<String, Integer> expected = new HashMap<>();
      for (ScoreDoc sd : knn.scoreDocs) {
        Document d = plain.storedFields().document(sd.doc);
        expected.merge(d.get(ImageSchema.CLASS), 1, Integer::sum);
      }
      Map<String, Integer> actual = new HashMap<>();
      for (FacetCount c : results.classCounts()) {
        actual.put(c.value(), c.count());
      }
      assertEquals(expected, actual);
    } finally {
      writer.searcherManager().release(plain);
    }
    for (int i = 1; i < results.classCounts().size(); i++) {
      assertTrue(results.classCounts().get(i - 1).count() >= results.classCounts().get(i).count());
    }
  }

  /**
   * A vector-only request with a filter query counts its filtered candidates, not every document
   * the filter matches (the filter alone used to stand in for the absent keyword part).
   */
  public void testAFilteredVectorQueryCountsItsCandidatesNotTheWholeFilter() throws IOException {
    String cls = RandomImageCorpus.CLASSES[random().nextInt(RandomImageCorpus.CLASSES.length)];
    Query filter = new TermQuery(new Term(ImageSchema.CLASS, cls));
    float[] vector = RandomImageCorpus.unitVector(random(), DIM);
    SearchResults results =
        searcher.search(
            SearchRequest.builder()
                .vector(vector)
                .filter(filter)
                .k(5)
                .size(5)
                .oversample(1)
                .build());
    IndexSearcher plain = writer.searcherManager().acquire();
    try {
      int inFilter = plain.count(filter);
      assertTrue("the corpus has more " + cls + " documents than candidates", inFilter > 5);
      assertEquals(5, results.totalMatches());
      assertEquals(List.of(new FacetCount(cls, 5)), results.classCounts());
    } finally {
      writer.searcherManager().release(plain);
    }
    for (Hit hit : results.hits()) {
      assertFalse("a vector-only hit has no keyword rank", hit.explanation().matchedKeywords());
    }
  }

  /** The same with classes chosen as well: the sideways counts hold candidates only. */
  public void testAFilteredVectorQueryWithAChosenClassCountsCandidatesSideways()
      throws IOException {
    String cls = RandomImageCorpus.CLASSES[random().nextInt(RandomImageCorpus.CLASSES.length)];
    Query filter = new TermQuery(new Term(ImageSchema.CAPTION, RandomImageCorpus.WORDS[0]));
    float[] vector = RandomImageCorpus.unitVector(random(), DIM);
    SearchRequest.Builder request =
        SearchRequest.builder().vector(vector).filter(filter).k(4).size(4).oversample(1);
    SearchResults chosen = searcher.search(request.classes(cls).build());
    long allClasses = 0;
    for (FacetCount c : chosen.classCounts()) {
      allClasses += c.count();
    }
    assertTrue(chosen.totalMatches() <= 4);
    assertTrue(
        "every class counts at most its share of two candidate sets: " + chosen.classCounts(),
        allClasses <= 8);
  }

  public void testAChosenClassIsCountedByItsMatchesAndTheOthersAsIfUnfiltered() throws IOException {
    String cls = RandomImageCorpus.CLASSES[random().nextInt(RandomImageCorpus.CLASSES.length)];
    SearchRequest unfiltered = hybrid().k(10).build();
    SearchRequest filtered = unfiltered.toBuilder().classes(cls).build();
    SearchResults results = searcher.search(filtered);
    for (Hit hit : results.hits()) {
      assertEquals(cls, hit.className());
    }
    Map<String, Integer> counts = counts(results);
    assertEquals(
        "the chosen class counts the request's own matches",
        results.totalMatches(),
        (long) counts.getOrDefault(cls, 0));
    Map<String, Integer> others = counts(searcher.search(unfiltered));
    others.remove(cls);
    counts.remove(cls);
    assertEquals("every other class keeps its count without the class filter", others, counts);
  }

  private static Map<String, Integer> counts(SearchResults results) {
    Map<String, Integer> counts = new HashMap<>();
    for (FacetCount c : results.classCounts()) {
      counts.put(c.value(), c.count());
    }
    return counts;
  }

  public void testLikeIdSearchesByTheStoredVectorAndExcludesTheExample() throws IOException {
    ImageDocument example = docs.get(random().nextInt(docs.size()));
    // Every document a candidate: the two searches then differ only by the excluded example, not
    // by what two approximate walks with different filters happened to visit.
    SearchResults like =
        searcher.search(
            SearchRequest.builder().likeId(example.id()).k(10).numCandidates(docs.size()).build());
    SearchResults byVector =
        searcher.search(
            SearchRequest.builder()
                .vector(example.imageVector())
                .k(11)
                .size(11)
                .numCandidates(docs.size())
                .build());
    List<String> expected = ids(byVector);
    expected.remove(example.id());
    assertEquals(expected.subList(0, 10), ids(like));
  }

  public void testUnknownLikeIdIsAClearError() {
    IllegalArgumentException e =
        expectThrows(
            IllegalArgumentException.class,
            () -> searcher.search(SearchRequest.builder().likeId("no-such-id").build()));
    assertTrue(e.getMessage(), e.getMessage().contains("no-such-id"));
  }

  public void testTextAndImageAreMixedByWeightAndRenormalised() throws IOException {
    String text = "a fast red vehicle";
    byte[] image = "pixels".getBytes(StandardCharsets.ISO_8859_1);
    float wt = 0.25f + random().nextFloat();
    float wi = 0.25f + random().nextFloat();
    float[] t = TestEncoders.vectorOf(text, DIM);
    float[] i = TestEncoders.vectorOf("pixels", DIM);
    float[] mixed = new float[DIM];
    double norm = 0;
    for (int d = 0; d < DIM; d++) {
      mixed[d] = wt * t[d] + wi * i[d];
      norm += mixed[d] * mixed[d];
    }
    for (int d = 0; d < DIM; d++) mixed[d] /= (float) Math.sqrt(norm);
    SearchResults byMix =
        searcher.search(SearchRequest.builder().text(text, wt).image(image, wi).k(10).build());
    SearchResults byVector = searcher.search(SearchRequest.builder().vector(mixed).k(10).build());
    assertEquals(ids(byVector), ids(byMix));
    assertEquals(1, encoder.textCalls.get());
    assertEquals(1, encoder.imageCalls.get());
  }

  public void testTiesAreBrokenByDocIdAscending() throws IOException {
    float[] same = RandomImageCorpus.unitVector(random(), DIM);
    for (int i = 0; i < 5; i++) {
      writer.upsert(ImageDocument.builder("twin" + i).className("Twins").imageVector(same).build());
    }
    writer.refresh();
    SearchResults results =
        searcher.search(SearchRequest.builder().vector(same).classes("Twins").k(5).build());
    assertEquals(5, results.hits().size());
    for (int i = 1; i < 5; i++) {
      assertEquals(results.hits().get(0).score(), results.hits().get(i).score(), 0f);
      assertTrue(results.hits().get(i - 1).docId() < results.hits().get(i).docId());
    }
  }

  public void testRerankOffRanksByApproximateScore() throws IOException {
    SearchResults results =
        searcher.search(
            SearchRequest.builder()
                .vector(RandomImageCorpus.unitVector(random(), DIM))
                .rerank(false)
                .k(10)
                .build());
    for (int i = 0; i < results.hits().size(); i++) {
      HitExplanation e = results.hits().get(i).explanation();
      assertEquals(i + 1, e.approximateVectorRank());
      assertEquals(0, e.exactVectorRank());
      assertTrue(Float.isNaN(e.exactVectorScore()));
      assertEquals(e.approximateVectorScore(), results.hits().get(i).score(), 0f);
    }
  }

  public void testDeletedDocumentsNeverAppear() throws IOException {
    ImageDocument victim = docs.get(random().nextInt(docs.size()));
    writer.delete(victim.id());
    writer.refresh();
    SearchResults results =
        searcher.search(SearchRequest.builder().vector(victim.imageVector()).k(10).build());
    assertFalse(ids(results).contains(victim.id()));
    IndexSearcher plain = writer.searcherManager().acquire();
    try {
      assertEquals(0, plain.count(new TermQuery(new Term(ImageSchema.ID, victim.id()))));
    } finally {
      writer.searcherManager().release(plain);
    }
  }

  private static List<String> ids(SearchResults results) {
    return new java.util.ArrayList<>(results.hits().stream().map(Hit::id).toList());
  }
}
