package io.mmsearch.lucene.rerank;

import com.carrotsearch.randomizedtesting.generators.RandomPicks;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.index.RandomIndexWriter;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/** The re-rank query of every exact scorer against flat exact search, alone and composed. */
public class ExactRerankQueryTest extends LuceneTestCase {
  private static final int DIM = 32;

  private Directory dir;
  private IndexReader reader;
  private float[] data;
  private int n;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    n = atLeast(200);
    data = RandomVectors.unit(random(), n, DIM);
    IndexWriterConfig config = newIndexWriterConfig();
    config.setCodec(
        TestUtil.alwaysKnnVectorsFormat(
            new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, 16, 100)));
    dir = newDirectory();
    try (RandomIndexWriter writer = new RandomIndexWriter(random(), dir, config)) {
      for (int i = 0; i < n; i++) {
        Document doc = new Document();
        doc.add(
            new KnnFloatVectorField(
                "v", RandomVectors.row(data, i, DIM), VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new StringField("parity", i % 2 == 0 ? "even" : "odd", Field.Store.YES));
        writer.addDocument(doc);
      }
    }
    reader = DirectoryReader.open(dir);
  }

  @Override
  public void tearDown() throws Exception {
    reader.close();
    dir.close();
    super.tearDown();
  }

  private static ExactScorer randomScorer() {
    return ExactScorers.create(RandomPicks.randomFrom(random(), ExactScorers.available()));
  }

  public void testReRankingEveryDocOfAnInt4IndexEqualsFlatExactSearch() throws Exception {
    IndexSearcher searcher = newSearcher(reader);
    try (ExactScorer scorer = randomScorer();
        FlatExactIndex flat = FlatExactIndex.java(VectorBlock.readAll(reader, "v"))) {
      float[] query = RandomVectors.unit(random(), 1, DIM);
      int k = 1 + random().nextInt(20);
      // Every doc is a candidate, so the exact re-rank must reproduce exact search.
      Query reranked = scorer.rerankQuery(new KnnFloatVectorQuery("v", query, n), "v", query, k);
      TopDocs top = searcher.search(reranked, k);
      ExactHits exact = flat.search(new float[][] {query}, k);
      assertEquals(k, top.scoreDocs.length);
      for (int i = 0; i < k; i++) {
        float expected = Math.max((1 + exact.scores(0)[i]) / 2, 0);
        assertEquals(scorer.name() + " score " + i, expected, top.scoreDocs[i].score, 1e-5f);
        if (exact.docIds(0)[i] != top.scoreDocs[i].doc) {
          assertEquals("only near-ties may swap", expected, top.scoreDocs[i].score, 1e-5f);
        }
      }
    }
  }

  public void testTheReRankQueryComposesWithAHostsBooleanQuery() throws Exception {
    IndexSearcher searcher = newSearcher(reader);
    try (ExactScorer scorer = randomScorer()) {
      float[] query = RandomVectors.unit(random(), 1, DIM);
      int k = 1 + random().nextInt(10);
      Query reranked = scorer.rerankQuery(new KnnFloatVectorQuery("v", query, n), "v", query, k);
      Query hosts =
          new BooleanQuery.Builder()
              .add(reranked, Occur.MUST)
              .add(new TermQuery(new Term("parity", "even")), Occur.FILTER)
              .build();
      TopDocs alone = searcher.search(reranked, k);
      TopDocs composed = searcher.search(hosts, k);
      java.util.List<String> expected = new java.util.ArrayList<>();
      for (ScoreDoc sd : alone.scoreDocs) {
        if ("even".equals(searcher.storedFields().document(sd.doc).get("parity"))) {
          expected.add(sd.doc + "=" + sd.score);
        }
      }
      java.util.List<String> actual = new java.util.ArrayList<>();
      for (ScoreDoc sd : composed.scoreDocs) {
        actual.add(sd.doc + "=" + sd.score);
      }
      assertEquals("the host's filter keeps the re-ranked scores and order", expected, actual);
    }
  }

  public void testNoCandidatesRewriteToNoDocs() throws Exception {
    IndexSearcher searcher = newSearcher(reader);
    try (ExactScorer scorer = randomScorer()) {
      float[] query = RandomVectors.unit(random(), 1, DIM);
      Query none = scorer.rerankQuery(new MatchNoDocsQuery(), "v", query, 5);
      assertEquals(0, searcher.search(none, 5).scoreDocs.length);
    }
  }
}
