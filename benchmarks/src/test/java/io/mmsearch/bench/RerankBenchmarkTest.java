package io.mmsearch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every re-rank path of the JMH benchmark measures the same work: the same top docs. */
class RerankBenchmarkTest {
  @TempDir Path dir;

  private TopDocs[] topDocs(String path, int candidates) throws Exception {
    RerankBenchmark b = new RerankBenchmark();
    b.docs = 3000;
    b.candidates = candidates;
    b.path = path;
    b.setUp(dir);
    try {
      TopDocs[] out = new TopDocs[8];
      for (int i = 0; i < out.length; i++) {
        out[i] = b.rerank();
      }
      return out;
    } finally {
      b.tearDown();
    }
  }

  @Test
  void luceneJavaBlockAndFaissReRankToTheSameTopDocs() throws Exception {
    for (int candidates : new int[] {100, 1000}) {
      TopDocs[] lucene = topDocs("lucene", candidates);
      for (String other : new String[] {"java-block", "faiss"}) {
        TopDocs[] got = topDocs(other, candidates);
        for (int q = 0; q < lucene.length; q++) {
          assertEquals(RerankBenchmark.K, got[q].scoreDocs.length);
          for (int i = 0; i < RerankBenchmark.K; i++) {
            String where = other + " candidates=" + candidates + " query " + q + " rank " + i;
            assertEquals(lucene[q].scoreDocs[i].score, got[q].scoreDocs[i].score, 1e-5f, where);
            assertEquals(lucene[q].scoreDocs[i].doc, got[q].scoreDocs[i].doc, where);
          }
        }
      }
    }
  }
}
