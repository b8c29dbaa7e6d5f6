package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.TestEncoders;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.semantics.Diversity;
import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.TargetJoin;
import io.mmsearch.semantics.VectorScores;
import io.mmsearch.semantics.VectorTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

/**
 * The shared ranking stages as the embedded searcher runs them: several vector targets, cut-offs
 * before fusion, near-duplicate collapse and MMR, relevance feedback with negative examples, and
 * the requests they refuse.
 */
public class RankingStagesSearchTest extends LuceneTestCase {
  private static final int DIM = 12;
  private static final ModelIdentity MODEL = new ModelIdentity("stages-test-model", DIM);

  private Directory dir;
  private MultimodalIndexWriter writer;
  private MultimodalSearcher searcher;
  private final Map<String, float[]> images = new HashMap<>();
  private final Map<String, float[]> captions = new HashMap<>();
  private List<String> ids;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    dir = newDirectory();
    writer = MultimodalIndexWriter.open(dir, MultimodalIndexConfig.builder(MODEL).build());
    List<ImageDocument> docs = new ArrayList<>();
    int n = TestUtil.nextInt(random(), 60, 120);
    for (int i = 0; i < n; i++) {
      String id = "d" + i;
      float[] image = RandomImageCorpus.unitVector(random(), DIM);
      images.put(id, image);
      ImageDocument.Builder b =
          ImageDocument.builder(id)
              .caption(RandomImageCorpus.WORDS[random().nextInt(RandomImageCorpus.WORDS.length)])
              .className(RandomImageCorpus.CLASSES[i % RandomImageCorpus.CLASSES.length])
              .imageVector(image)
              .contentHash("h" + (i % (n - 5))); // the last five share a hash with the first five
      if (random().nextInt(3) > 0) {
        float[] caption = RandomImageCorpus.unitVector(random(), DIM);
        captions.put(id, caption);
        b.captionVector(caption);
      }
      docs.add(b.build());
    }
    writer.upsertAll(docs);
    writer.refresh();
    ids = docs.stream().map(ImageDocument::id).toList();
    searcher =
        MultimodalSearcher.builder()
            .nearRealTime(writer)
            .queryEncoder(TestEncoders.deterministic(MODEL, Map.of()))
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

  public void testTheMeanJoinScoresEveryTargetADocumentHas() throws IOException {
    float wi = 0.1f + random().nextFloat();
    float wc = 0.1f + random().nextFloat();
    float[] query = RandomImageCorpus.unitVector(random(), DIM);
    int k = TestUtil.nextInt(random(), 3, 15);
    SearchResults results =
        searcher.search(
            SearchRequest.builder()
                .vector(query)
                .targets(
                    List.of(new VectorTarget("image_vec", wi), new VectorTarget("caption_vec", wc)))
                .numCandidates(ids.size())
                .k(k)
                .size(k)
                .build());
    assertEquals(k, results.hits().size());
    Set<String> reachable = new HashSet<>(top(images, query, k));
    reachable.addAll(top(captions, query, k));
    float previous = Float.POSITIVE_INFINITY;
    for (Hit hit : results.hits()) {
      float si = VectorScores.similarity(query, images.get(hit.id()));
      float[] caption = captions.get(hit.id());
      float expected =
          caption == null
              ? si // no caption vector: ranked by its image alone
              : (float)
                  ((wi * (double) si + wc * (double) VectorScores.similarity(query, caption))
                      / (wi + wc));
      assertEquals(hit.id(), expected, hit.score(), 1e-6f);
      assertTrue("found by a target's list", reachable.contains(hit.id()));
      assertTrue("ranked by the joined score", hit.score() <= previous);
      previous = hit.score();
      assertEquals(caption == null ? 1 : 2, hit.explanation().targetScores().size());
    }
  }

  public void testTheRrfJoinRanksByTheTargetsRanks() throws IOException {
    float[] query = RandomImageCorpus.unitVector(random(), DIM);
    SearchResults results =
        searcher.search(
            SearchRequest.builder()
                .vector(query)
                .targets(List.of(VectorTarget.of("image_vec"), VectorTarget.of("caption_vec")))
                .targetJoin(new TargetJoin.Rrf(60))
                .numCandidates(ids.size())
                .k(5)
                .size(1)
                .build());
    // Each target's list is read to the window (5): Σ 1 / (60 + rank) over the lists holding a
    // document; ties to the lower doc id (the ids' numeric order here).
    Map<String, Double> rrf = new HashMap<>();
    for (List<String> list : List.of(top(images, query, 5), top(captions, query, 5))) {
      for (int i = 0; i < list.size(); i++) {
        rrf.merge(list.get(i), 1.0 / (60 + i + 1), Double::sum);
      }
    }
    String expected =
        rrf.entrySet().stream()
            .sorted(
                Comparator.comparing((Map.Entry<String, Double> e) -> -e.getValue().floatValue())
                    .thenComparing(e -> Integer.parseInt(e.getKey().substring(1))))
            .findFirst()
            .orElseThrow()
            .getKey();
    assertEquals(expected, results.hits().get(0).id());
    assertEquals(rrf.get(expected).floatValue(), results.hits().get(0).score(), 1e-7f);
  }

  public void testAMinimumScoreCutsTheVectorListAndTheTotal() throws IOException {
    float[] query = RandomImageCorpus.unitVector(random(), DIM);
    List<String> all = top(images, query, ids.size());
    float min =
        (VectorScores.similarity(query, images.get(all.get(7)))
                + VectorScores.similarity(query, images.get(all.get(8))))
            / 2;
    SearchResults results =
        searcher.search(
            SearchRequest.builder()
                .vector(query)
                .minScore(min)
                .numCandidates(ids.size())
                .k(20)
                .size(20)
                .build());
    assertEquals(all.subList(0, 8), results.hits().stream().map(Hit::id).toList());
    assertEquals("the total counts the hits above the minimum", 8, results.totalMatches());
  }

  public void testAKeywordMatchSurvivesAVectorMinimumItFails() throws IOException {
    float[] query = RandomImageCorpus.unitVector(random(), DIM);
    String word = RandomImageCorpus.WORDS[random().nextInt(RandomImageCorpus.WORDS.length)];
    SearchResults results =
        searcher.search(
            SearchRequest.builder()
                .vector(query)
                .keywords(word)
                .minScore(1f) // nothing reaches similarity 1: the vector list is empty
                .k(ids.size())
                .size(ids.size())
                .build());
    assertFalse(results.hits().isEmpty());
    for (Hit hit : results.hits()) {
      assertTrue(hit.id() + " " + hit.explanation(), hit.explanation().keywordRank() > 0);
      assertEquals(0, hit.explanation().vectorRank());
    }
  }

  public void testCollapseFoldsEqualHashesAndShowsThem() throws IOException {
    float[] query = RandomImageCorpus.unitVector(random(), DIM);
    SearchResults results =
        searcher.search(
            SearchRequest.builder()
                .vector(query)
                .diversity(Diversity.NONE.withCollapseHash(true).withCandidates(ids.size()))
                .numCandidates(ids.size())
                .k(ids.size())
                .size(ids.size())
                .build());
    assertEquals(ids.size() - 5, results.hits().size());
    int folded = 0;
    for (Hit hit : results.hits()) {
      for (String dup : hit.duplicates()) {
        int a = Integer.parseInt(hit.id().substring(1));
        int b = Integer.parseInt(dup.substring(1));
        assertEquals("same hash", a % (ids.size() - 5), b % (ids.size() - 5));
        folded++;
      }
    }
    assertEquals(5, folded);
  }

  public void testMmrAtLambdaOneKeepsTheRankingAndLowerLambdaSpreadsIt() throws IOException {
    float[] query = RandomImageCorpus.unitVector(random(), DIM);
    SearchRequest.Builder b =
        SearchRequest.builder().vector(query).numCandidates(ids.size()).k(10).size(10);
    List<String> plain = searcher.search(b.build()).hits().stream().map(Hit::id).toList();
    List<String> lambdaOne =
        searcher.search(b.diversity(Diversity.NONE.withMmr(1f)).build()).hits().stream()
            .map(Hit::id)
            .toList();
    assertEquals(plain, lambdaOne);
    List<Hit> diverse = searcher.search(b.diversity(Diversity.NONE.withMmr(0f)).build()).hits();
    assertEquals("the most relevant comes first", plain.get(0), diverse.get(0).id());
    // λ 0: the second hit is the candidate least similar to the first; the candidates are the
    // Diversity.DEFAULT_CANDIDATES most relevant (the corpus may hold more).
    List<String> pool =
        searcher
            .search(
                SearchRequest.builder()
                    .vector(query)
                    .numCandidates(ids.size())
                    .k(Math.min(Diversity.DEFAULT_CANDIDATES, ids.size()))
                    .size(Math.min(Diversity.DEFAULT_CANDIDATES, ids.size()))
                    .build())
            .hits()
            .stream()
            .map(Hit::id)
            .toList();
    float[] first = images.get(plain.get(0));
    String leastSimilar =
        pool.stream()
            .filter(id -> !id.equals(plain.get(0)))
            .min(Comparator.comparingDouble(id -> VectorScores.dot(first, images.get(id))))
            .orElseThrow();
    assertEquals(leastSimilar, diverse.get(1).id());
  }

  public void testANegativeExampleMovesTheQueryAway() throws IOException {
    float[] query = RandomImageCorpus.unitVector(random(), DIM);
    List<String> plain =
        searcher
            .search(SearchRequest.builder().vector(query).numCandidates(ids.size()).build())
            .hits()
            .stream()
            .map(Hit::id)
            .toList();
    String unliked = plain.get(0);
    SearchResults results =
        searcher.search(
            SearchRequest.builder()
                .vector(query)
                .unlikeId(unliked, 0.5f)
                .numCandidates(ids.size())
                .k(ids.size())
                .size(ids.size())
                .build());
    assertFalse(
        "the negative example is not a result",
        results.hits().stream().anyMatch(h -> h.id().equals(unliked)));
    // The ranking is that of normalise(q̂ - 0.5 û).
    float[] u = images.get(unliked);
    float[] moved = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      moved[i] = query[i] - 0.5f * u[i];
    }
    List<String> expected = new ArrayList<>(top(images, normalised(moved), ids.size()));
    expected.remove(unliked);
    assertEquals(
        expected.subList(0, 5), results.hits().subList(0, 5).stream().map(Hit::id).toList());
  }

  public void testBadRequestsAreRefusedNamingTheParameter() {
    float[] query = RandomImageCorpus.unitVector(random(), DIM);
    assertEquals(
        "unknown vector target field 'colour_vec'; the index's vector fields are image_vec,"
            + " caption_vec",
        expectThrows(
                InvalidQueryException.class,
                () -> SearchRequest.builder().vector(query).vectorField("colour_vec").build())
            .getMessage());
    assertTrue(
        expectThrows(
                InvalidQueryException.class,
                () -> SearchRequest.builder().vector(query).minScore(1.2f).build())
            .getMessage()
            .startsWith("minScore 1.2 is outside the range of vector similarity scores"));
    assertTrue(
        expectThrows(
                InvalidQueryException.class,
                () -> searcher.search(SearchRequest.builder().unlikeId("d1", 1f).build()))
            .getMessage()
            .startsWith("negative examples alone give no direction to search in"));
    assertEquals(
        "unlike 'nope': no live document with that id has a image_vec vector",
        expectThrows(
                InvalidQueryException.class,
                () ->
                    searcher.search(
                        SearchRequest.builder().vector(query).unlikeId("nope", 1f).build()))
            .getMessage());
    assertTrue(
        expectThrows(
                InvalidQueryException.class,
                () ->
                    searcher.search(
                        SearchRequest.builder().likeId("d3", 1f).unlikeId("d3", 1f).build()))
            .getMessage()
            .startsWith("the mixed query vector is zero"));
  }

  /** The ids of the documents with a vector in {@code vectors}, by similarity to {@code query}. */
  private static List<String> top(Map<String, float[]> vectors, float[] query, int n) {
    return vectors.entrySet().stream()
        .sorted(
            Comparator.comparingDouble(
                    (Map.Entry<String, float[]> e) ->
                        -VectorScores.similarity(query, normalised(e.getValue())))
                .thenComparing(e -> Integer.parseInt(e.getKey().substring(1))))
        .limit(n)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static float[] normalised(float[] v) {
    double norm = Math.sqrt(VectorScores.dot(v, v));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }
}
