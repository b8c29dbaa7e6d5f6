package io.mmsearch.lucene.fusion;

import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.Ranked;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;

/**
 * Runs the shared {@link Fusion} arithmetic (module {@code query-semantics}, the one the Solr
 * plugin runs too) over Lucene {@link TopDocs} of one searcher, keyed by doc id: RRF with list
 * weights and linear min-max fusion, in double, scores returned as float, ties by doc id ascending.
 * Lucene's {@code TopDocs.rrf} computes the same RRF scores when both weights are 1 but orders by
 * the double sums and has no list weights, so it is not used (a test compares the two). Stateless.
 */
public final class TopDocsFusion {
  private TopDocsFusion() {}

  /**
   * Fuses a keyword list and a vector list of the same searcher.
   *
   * @return every document of either list in fused order; total hits is their number
   */
  public static TopDocs fuse(Fusion fusion, TopDocs keyword, TopDocs vector) {
    List<Ranked<Integer>> fused = fusion.fuse(ranked(keyword), ranked(vector));
    ScoreDoc[] docs = new ScoreDoc[fused.size()];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = new ScoreDoc(fused.get(i).key(), fused.get(i).score());
    }
    return new TopDocs(new TotalHits(docs.length, TotalHits.Relation.EQUAL_TO), docs);
  }

  /** A list's hits, in its order, as the shared arithmetic's ranked entries. */
  public static List<Ranked<Integer>> ranked(TopDocs list) {
    List<Ranked<Integer>> out = new ArrayList<>(list.scoreDocs.length);
    for (ScoreDoc sd : list.scoreDocs) {
      out.add(new Ranked<>(sd.doc, sd.score));
    }
    return out;
  }
}
