package io.mmsearch.lucene.rerank;

import com.carrotsearch.randomizedtesting.generators.RandomPicks;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.index.RandomIndexWriter;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

public class ExactRerankerTest extends LuceneTestCase {

  public void testRerankingEveryDocOfAnInt4IndexEqualsFlatExactSearch() throws Exception {
    int dim = 32;
    int n = atLeast(200);
    float[] data = RandomVectors.unit(random(), n, dim);
    IndexWriterConfig config = newIndexWriterConfig();
    config.setCodec(
        TestUtil.alwaysKnnVectorsFormat(
            new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, 16, 100)));
    try (Directory dir = newDirectory()) {
      try (RandomIndexWriter writer = new RandomIndexWriter(random(), dir, config)) {
        for (int i = 0; i < n; i++) {
          Document doc = new Document();
          doc.add(
              new KnnFloatVectorField(
                  "v", RandomVectors.row(data, i, dim), VectorSimilarityFunction.DOT_PRODUCT));
          writer.addDocument(doc);
        }
      }
      try (IndexReader reader = DirectoryReader.open(dir);
          ExactScorer scorer =
              ExactScorers.create(RandomPicks.randomFrom(random(), ExactScorers.available()));
          FlatExactIndex flat = FlatExactIndex.java(VectorBlock.readAll(reader, "v"))) {
        float[] query = RandomVectors.unit(random(), 1, dim);
        int k = 1 + random().nextInt(20);
        // Every doc is a candidate, so the exact re-rank must reproduce exact search.
        TopDocs candidates =
            new IndexSearcher(reader).search(new KnnFloatVectorQuery("v", query, n), n);
        TopDocs reranked =
            new ExactReranker(scorer).rerank(reader, "v", query, candidates.scoreDocs, k);
        ExactHits exact = flat.search(new float[][] {query}, k);
        int[] exactDocs = exact.docIds(0);
        float[] exactScores = exact.scores(0);
        assertEquals(k, reranked.scoreDocs.length);
        for (int i = 0; i < k; i++) {
          assertEquals(
              scorer.name() + " score " + i, exactScores[i], reranked.scoreDocs[i].score, 1e-5f);
          if (exactDocs[i] != reranked.scoreDocs[i].doc) {
            assertEquals(exactScores[i], reranked.scoreDocs[i].score, 1e-5f);
          }
        }
      }
    }
  }
}
