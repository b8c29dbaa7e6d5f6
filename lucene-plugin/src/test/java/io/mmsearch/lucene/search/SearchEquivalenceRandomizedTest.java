package io.mmsearch.lucene.search;

import com.carrotsearch.randomizedtesting.generators.RandomPicks;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.TestEncoders;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.rerank.VectorBlock;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.semantics.Fusion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.QueryBuilder;

/**
 * The whole search against a brute-force reference on random indexes: many segments, deletes, every
 * vector format, filters, every fusion mode, paging. The reference scores every live document
 * exactly by the mixed query vector, takes BM25 scores from a plain keyword search, fuses by the
 * documented formulas and counts classes by the documented drill-sideways definition; the searcher
 * must return the same hits (near-ties may swap), the same scores within float tolerance, the same
 * total and the same class counts.
 *
 * <p>HNSW is made exhaustive ({@code numCandidates} at least the number of documents), so the
 * candidate set is defined exactly; re-rank off is only compared on float32 graphs, whose
 * approximate scores are exact.
 */
public class SearchEquivalenceRandomizedTest extends LuceneTestCase {
  private static final float TOLERANCE = 1e-5f;

  private int dim;
  private ModelIdentity model;

  /** One live document as the reference sees it. */
  private record Doc(int docId, String id, String className, float[] vector) {}

  public void testRandomRequestsOnARandomIndexMatchTheBruteForceReference() throws IOException {
    VectorFormat format = RandomPicks.randomFrom(random(), VectorFormat.values());
    checkRandomIndex(format, atLeast(15));
  }

  public void testEveryVectorFormatMatchesTheBruteForceReference() throws IOException {
    for (VectorFormat format : VectorFormat.values()) {
      checkRandomIndex(format, 6);
    }
  }

  /** The exact scorer to re-rank with: any on the class path (a module may pin one). */
  protected String scorerKind() {
    return RandomPicks.randomFrom(random(), ExactScorers.available());
  }

  private void checkRandomIndex(VectorFormat format, int requests) throws IOException {
    dim = TestUtil.nextInt(random(), 4, 24);
    model = new ModelIdentity("equivalence-" + dim, dim);
    List<ImageDocument> docs =
        RandomImageCorpus.documents(random(), TestUtil.nextInt(random(), 60, 300), dim);
    try (Directory dir = newDirectory()) {
      RandomImageCorpus.write(
          random(), dir, docs, model, format, random().nextDouble() * 0.3, rarely());
      try (DirectoryReader reader = DirectoryReader.open(dir);
          ExactScorer scorer = ExactScorers.create(scorerKind());
          MultimodalSearcher searcher =
              MultimodalSearcher.builder()
                  .model(model)
                  .queryEncoder(TestEncoders.deterministic(model, Map.of()))
                  .exactScorer(scorer)
                  .build();
          Analyzer analyzer = ImageSchema.newAnalyzer()) {
        // As Lucene's own drill-sideways tests: no asserting searcher (DrillSidewaysQuery scores
        // whole segments in one call), maybe an executor; the reader stays a DirectoryReader so
        // that its commit (the model identity) can be read.
        IndexSearcher indexSearcher = newSearcher(reader, false, false, random().nextBoolean());
        List<Doc> live = liveDocs(reader);
        for (int round = 0; round < requests; round++) {
          SearchRequest request = randomRequest(live, reader.maxDoc(), format);
          SearchResults actual = searcher.search(indexSearcher, request);
          Expected expected = reference(request, live, indexSearcher, analyzer);
          String context = format + " " + request + " with " + scorer.name();
          assertSameHits(context, expected.hits, expected.ranked, actual.hits());
          assertEquals(context, expected.total, actual.totalMatches());
          assertEquals(context, expected.rankedCount, actual.rankedCount());
          if (request.facets()) {
            Map<String, Integer> counts = new TreeMap<>();
            actual.classCounts().forEach(c -> counts.put(c.value(), c.count()));
            assertEquals(context, expected.classCounts, counts);
          }
        }
      }
    }
  }

  private static List<Doc> liveDocs(DirectoryReader reader) throws IOException {
    VectorBlock vectors = VectorBlock.readAll(reader, ImageSchema.IMAGE_VECTOR);
    StoredFields stored = reader.storedFields();
    List<Doc> live = new ArrayList<>();
    for (int row = 0; row < vectors.size(); row++) {
      int doc = vectors.docId(row);
      var fields = stored.document(doc, Set.of(ImageSchema.ID, ImageSchema.CLASS));
      live.add(
          new Doc(
              doc, fields.get(ImageSchema.ID), fields.get(ImageSchema.CLASS), vectors.vector(row)));
    }
    return live;
  }

  private SearchRequest randomRequest(List<Doc> live, int maxDoc, VectorFormat format) {
    SearchRequest.Builder b = SearchRequest.builder();
    boolean vector = random().nextInt(4) > 0;
    boolean keywords = !vector || random().nextBoolean();
    if (vector) {
      int parts = TestUtil.nextInt(random(), 1, 3);
      for (int p = 0; p < parts; p++) {
        float weight = 0.25f + 2 * random().nextFloat();
        switch (random().nextInt(3)) {
          case 0 -> b.vector(RandomImageCorpus.unitVector(random(), dim), weight);
          case 1 -> b.text(randomWords(2), weight);
          default -> b.likeId(live.get(random().nextInt(live.size())).id(), weight);
        }
      }
      b.numCandidates(maxDoc); // exhaustive HNSW: the candidates are every filtered document
      b.rerank(format != VectorFormat.FLOAT32 || random().nextInt(4) > 0);
    }
    if (keywords) {
      b.keywords(randomWords(TestUtil.nextInt(random(), 1, 2)));
    }
    if (random().nextInt(3) == 0) {
      b.classes(RandomPicks.randomFrom(random(), RandomImageCorpus.CLASSES));
      if (random().nextBoolean()) {
        b.classes(RandomPicks.randomFrom(random(), RandomImageCorpus.CLASSES));
      }
    }
    if (random().nextInt(4) == 0) {
      b.filter(
          new BooleanQuery.Builder()
              .add(MatchAllDocsQuery.INSTANCE, Occur.FILTER)
              .add(
                  new TermQuery(
                      new Term(
                          ImageSchema.CLASS,
                          RandomPicks.randomFrom(random(), RandomImageCorpus.CLASSES))),
                  Occur.MUST_NOT)
              .build());
    }
    b.fusion(
        random().nextBoolean()
            ? Fusion.rrf(TestUtil.nextInt(random(), 1, 100))
            : Fusion.linear(random().nextFloat(), random().nextFloat()));
    int size = TestUtil.nextInt(random(), 1, 15);
    return b.k(TestUtil.nextInt(random(), 1, 20))
        .from(random().nextInt(3) == 0 ? random().nextInt(20) : 0)
        .size(size)
        .facets(random().nextInt(5) > 0)
        .build();
  }

  private static String randomWords(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ")
          .append(RandomPicks.randomFrom(random(), RandomImageCorpus.WORDS));
    }
    return sb.toString();
  }

  // ---- the reference ----

  private record Scored(Doc doc, double score) {}

  private record Expected(
      List<Scored> hits,
      List<Scored> ranked,
      long total,
      int rankedCount,
      Map<String, Integer> classCounts) {}

  private Expected reference(
      SearchRequest r, List<Doc> live, IndexSearcher searcher, Analyzer analyzer)
      throws IOException {
    Set<String> likes = new HashSet<>(r.likeIds());
    Set<String> excludedClasses = excludedClasses(r.filter());
    List<Doc> passNonClass = new ArrayList<>();
    for (Doc d : live) {
      if (!likes.contains(d.id()) && !excludedClasses.contains(d.className())) {
        passNonClass.add(d);
      }
    }
    List<Doc> passAll =
        passNonClass.stream()
            .filter(d -> r.classes().isEmpty() || r.classes().contains(d.className()))
            .toList();

    Map<Integer, Double> bm25 = bm25(r, searcher, analyzer);
    List<Scored> keywordAll =
        ranked(passAll.stream().filter(d -> bm25.containsKey(d.docId())).toList(), bm25);
    List<Scored> keywordList = head(keywordAll, r.window());

    List<Scored> vectorList = List.of();
    if (r.hasVectorPart()) {
      float[] target = target(r, live);
      Map<Integer, Double> exact = new HashMap<>();
      for (Doc d : passAll) {
        exact.put(d.docId(), (double) Math.max((1 + dot(target, d.vector())) / 2, 0f));
      }
      vectorList = head(ranked(passAll, exact), r.window());
    }

    List<Scored> fused;
    if (r.hasVectorPart() && r.hasKeywordPart()) {
      fused = fuse(r.fusion(), keywordList, vectorList);
    } else {
      fused = r.hasVectorPart() ? vectorList : keywordList;
    }
    List<Scored> page =
        fused.subList(
            Math.min(r.from(), fused.size()), Math.min(r.from() + r.size(), fused.size()));

    // The matched set: the filtered keyword matches and the candidates (every filtered document).
    Set<Doc> matched = new LinkedHashSet<>();
    keywordAll.forEach(s -> matched.add(s.doc()));
    if (r.hasVectorPart()) {
      matched.addAll(passAll);
    }
    // Sideways: a chosen class counts the matched set; any other class counts what the request
    // would match without the class filter.
    Map<String, Integer> counts = new TreeMap<>();
    for (Doc d : passNonClass) {
      if (d.className() == null) {
        continue;
      }
      boolean chosen = r.classes().isEmpty() || r.classes().contains(d.className());
      boolean counted =
          chosen ? matched.contains(d) : r.hasVectorPart() || bm25.containsKey(d.docId());
      if (counted) {
        counts.merge(d.className(), 1, Integer::sum);
      }
    }
    return new Expected(page, fused, matched.size(), fused.size(), counts);
  }

  /** The classes a random filter of {@link #randomRequest} excludes. */
  private static Set<String> excludedClasses(Query filter) {
    Set<String> out = new HashSet<>();
    if (filter instanceof BooleanQuery bq) {
      bq.clauses().stream()
          .filter(c -> c.occur() == Occur.MUST_NOT)
          .forEach(c -> out.add(((TermQuery) c.query()).getTerm().text()));
    }
    return out;
  }

  /** Plain BM25 over caption and keywords, any term, no filter: doc id to score. */
  private static Map<Integer, Double> bm25(
      SearchRequest r, IndexSearcher searcher, Analyzer analyzer) throws IOException {
    Map<Integer, Double> scores = new HashMap<>();
    if (r.keywords() == null) {
      return scores;
    }
    QueryBuilder qb = new QueryBuilder(analyzer);
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    for (String field : List.of(ImageSchema.CAPTION, ImageSchema.KEYWORDS)) {
      Query fq = qb.createBooleanQuery(field, r.keywords(), Occur.SHOULD);
      if (fq != null) {
        q.add(fq, Occur.SHOULD);
      }
    }
    for (ScoreDoc sd :
        searcher.search(q.build(), Math.max(1, searcher.getIndexReader().maxDoc())).scoreDocs) {
      scores.put(sd.doc, (double) sd.score);
    }
    return scores;
  }

  private float[] target(SearchRequest r, List<Doc> live) {
    double[] sum = new double[dim];
    for (VectorPart part : r.vectorParts()) {
      float[] v =
          switch (part) {
            case VectorPart.Raw raw -> raw.vector();
            case VectorPart.Text t -> TestEncoders.vectorOf(t.text(), dim);
            case VectorPart.Like l ->
                live.stream().filter(d -> d.id().equals(l.id())).findFirst().orElseThrow().vector();
            case VectorPart.Image i -> throw new AssertionError("no image parts here");
          };
      double norm = 0;
      for (float x : v) norm += (double) x * x;
      for (int i = 0; i < dim; i++) sum[i] += part.weight() * v[i] / Math.sqrt(norm);
    }
    double norm = 0;
    for (double x : sum) norm += x * x;
    float[] target = new float[dim];
    for (int i = 0; i < dim; i++) target[i] = (float) (sum[i] / Math.sqrt(norm));
    return target;
  }

  private static float dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) sum += (double) a[i] * b[i];
    return (float) sum;
  }

  private static List<Scored> ranked(List<Doc> docs, Map<Integer, Double> scores) {
    return docs.stream()
        .map(d -> new Scored(d, scores.get(d.docId())))
        .sorted(
            Comparator.comparingDouble((Scored s) -> -s.score())
                .thenComparingInt(s -> s.doc().docId()))
        .toList();
  }

  private static List<Scored> head(List<Scored> list, int n) {
    return list.subList(0, Math.min(n, list.size()));
  }

  private static List<Scored> fuse(Fusion fusion, List<Scored> keyword, List<Scored> vector) {
    Map<Doc, Double> fused = new HashMap<>();
    List<List<Scored>> lists = List.of(keyword, vector);
    for (int l = 0; l < 2; l++) {
      List<Scored> list = lists.get(l);
      if (list.isEmpty()) {
        continue;
      }
      double max = list.stream().mapToDouble(Scored::score).max().orElseThrow();
      double min = list.stream().mapToDouble(Scored::score).min().orElseThrow();
      for (int rank = 0; rank < list.size(); rank++) {
        Scored s = list.get(rank);
        double contribution =
            switch (fusion) {
              case Fusion.Rrf rrf -> 1.0 / (rrf.rankConstant() + rank + 1);
              case Fusion.Linear lin ->
                  (l == 0 ? lin.keywordWeight() : lin.vectorWeight())
                      * (max == min ? 1.0 : (s.score() - min) / (max - min));
            };
        fused.merge(s.doc(), contribution, Double::sum);
      }
    }
    List<Scored> out = new ArrayList<>();
    fused.forEach((d, s) -> out.add(new Scored(d, s)));
    out.sort(
        Comparator.comparingDouble((Scored s) -> -s.score())
            .thenComparingInt(s -> s.doc().docId()));
    return out;
  }

  /**
   * Same hits, in order, scores within {@link #TOLERANCE}; two hits whose scores are within the
   * tolerance may come in either order (float summation order differs between the paths).
   */
  private static void assertSameHits(
      String context, List<Scored> expected, List<Scored> ranked, List<Hit> actual) {
    assertEquals(context + " hits " + actual, expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      Hit hit = actual.get(i);
      assertEquals(context + " score at " + i, expected.get(i).score(), hit.score(), TOLERANCE);
      if (!expected.get(i).doc().id().equals(hit.id())) {
        boolean nearTie =
            ranked.stream()
                .anyMatch(
                    e ->
                        e.doc().id().equals(hit.id())
                            && Math.abs(e.score() - hit.score()) <= TOLERANCE);
        assertTrue(
            context
                + " hit "
                + i
                + ": expected "
                + expected.get(i).doc().id()
                + ", got "
                + hit.id(),
            nearTie);
      }
    }
  }
}
