package io.mmsearch.lucene.fusion;

import io.mmsearch.semantics.Fusion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The shared RRF arithmetic against Lucene's own {@code TopDocs.rrf}: with weights 1 every fused
 * score is bit for bit Lucene's; the order differs only where two double sums round to the same
 * float (Lucene orders by the double, the shared rule, which Solr can follow, by the float and then
 * the key), which is why the shared arithmetic runs in both engines.
 */
public class TopDocsFusionTest extends LuceneTestCase {

  public void testUnitWeightRrfScoresAreLucenesBitForBit() {
    for (int round = 0; round < 200; round++) {
      int docs = 1 + random().nextInt(300);
      TopDocs keyword = randomList(docs);
      TopDocs vector = randomList(docs);
      int c = 1 + random().nextInt(100);
      TopDocs ours = TopDocsFusion.fuse(Fusion.rrf(c), keyword, vector);
      int union = ours.scoreDocs.length;
      if (union == 0) {
        continue;
      }
      TopDocs lucene = TopDocs.rrf(union, c, new TopDocs[] {keyword, vector});
      assertEquals(lucene.scoreDocs.length, union);
      java.util.Map<Integer, Float> luceneScores = new java.util.HashMap<>();
      for (ScoreDoc sd : lucene.scoreDocs) {
        luceneScores.put(sd.doc, sd.score);
      }
      for (int i = 0; i < union; i++) {
        ScoreDoc sd = ours.scoreDocs[i];
        assertEquals(
            Float.floatToIntBits(luceneScores.get(sd.doc)), Float.floatToIntBits(sd.score));
        if (i > 0) {
          ScoreDoc prev = ours.scoreDocs[i - 1];
          assertTrue(prev.score > sd.score || (prev.score == sd.score && prev.doc < sd.doc));
        }
      }
    }
  }

  public void testListWeightsScaleEachListsReciprocalRanks() {
    TopDocs keyword = list(5, 3);
    TopDocs vector = list(3, 9);
    TopDocs fused = TopDocsFusion.fuse(Fusion.rrf(60, 2f, 0.5f), keyword, vector);
    assertEquals(3, fused.scoreDocs[0].doc);
    assertEquals((float) (2.0 / 62 + 0.5 / 61), fused.scoreDocs[0].score, 0f);
    assertEquals(5, fused.scoreDocs[1].doc);
    assertEquals((float) (2.0 / 61), fused.scoreDocs[1].score, 0f);
    assertEquals(9, fused.scoreDocs[2].doc);
    assertEquals(new TotalHits(3, TotalHits.Relation.EQUAL_TO), fused.totalHits);
  }

  private static TopDocs list(int... docs) {
    ScoreDoc[] sd = new ScoreDoc[docs.length];
    for (int i = 0; i < docs.length; i++) {
      sd[i] = new ScoreDoc(docs[i], docs.length - i);
    }
    return new TopDocs(new TotalHits(docs.length, TotalHits.Relation.EQUAL_TO), sd);
  }

  private static TopDocs randomList(int docs) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < docs; i++) {
      ids.add(i);
    }
    Collections.shuffle(ids, random());
    int n = random().nextInt(Math.min(docs, 120) + 1);
    ScoreDoc[] sd = new ScoreDoc[n];
    for (int i = 0; i < n; i++) {
      sd[i] = new ScoreDoc(ids.get(i), n - i);
    }
    return new TopDocs(new TotalHits(n, TotalHits.Relation.EQUAL_TO), sd);
  }
}
