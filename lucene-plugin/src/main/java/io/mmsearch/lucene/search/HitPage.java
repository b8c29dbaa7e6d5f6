package io.mmsearch.lucene.search;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.Diversity.DiverseHit;
import io.mmsearch.semantics.Ranked;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * Turns the requested slice {@code [from, from + size)} of the final ranking into {@link Hit}s: the
 * stored fields a hit shows, a {@link HitExplanation} of where each came from, and the ids of the
 * near-duplicates collapsed into it. Stateless.
 */
final class HitPage {
  private static final Set<String> HIT_FIELDS =
      Set.of(ImageSchema.ID, ImageSchema.URI, ImageSchema.CAPTION, ImageSchema.CLASS);

  private HitPage() {}

  /** Where each hit stood in the lists it came from. */
  record Lists(
      TopDocs keyword,
      List<VectorSearch.Result> targets,
      List<Ranked<Integer>> vector,
      TargetScoresTable targetScores) {}

  /**
   * @param ranking the final ranking
   * @param lists the keyword list, each target's result and the (joined) vector list
   */
  static List<Hit> of(
      IndexSearcher searcher, SearchRequest request, List<DiverseHit<Integer>> ranking, Lists lists)
      throws IOException {
    Map<Integer, Integer> keywordPos = positions(lists.keyword());
    boolean oneTarget = lists.targets().size() == 1;
    VectorSearch.Result single = oneTarget ? lists.targets().get(0) : null;
    Map<Integer, Integer> approxPos = single == null ? Map.of() : positions(single.approximate());
    Map<Integer, Integer> exactPos =
        single == null || !single.reranked() ? Map.of() : positions(single.ranked());
    Map<Integer, Integer> vectorPos = new HashMap<>();
    for (int i = 0; i < lists.vector().size(); i++) {
      vectorPos.put(lists.vector().get(i).key(), i);
    }
    List<Hit> hits = new ArrayList<>();
    int end = (int) Math.min(ranking.size(), (long) request.from() + request.size());
    for (int i = request.from(); i < end; i++) {
      DiverseHit<Integer> hit = ranking.get(i);
      int doc = hit.key();
      Integer kp = keywordPos.get(doc);
      Integer ap = approxPos.get(doc);
      Integer ep = exactPos.get(doc);
      Integer vp = vectorPos.get(doc);
      Map<String, Float> targetScores = new LinkedHashMap<>();
      if (!oneTarget && lists.targetScores() != null) {
        for (int t = 0; t < request.targets().size(); t++) {
          float s = lists.targetScores().score(doc, t);
          if (!Float.isNaN(s)) {
            targetScores.put(request.targets().get(t).field(), s);
          }
        }
      }
      HitExplanation explanation =
          new HitExplanation(
              kp == null ? Float.NaN : lists.keyword().scoreDocs[kp].score,
              kp == null ? 0 : kp + 1,
              ap == null ? Float.NaN : single.approximate().scoreDocs[ap].score,
              ap == null ? 0 : ap + 1,
              ep == null ? Float.NaN : single.ranked().scoreDocs[ep].score,
              ep == null ? 0 : ep + 1,
              vp == null ? Float.NaN : lists.vector().get(vp).score(),
              vp == null ? 0 : vp + 1,
              targetScores,
              hit.score());
      Document stored = searcher.storedFields().document(doc, HIT_FIELDS);
      List<String> duplicates = new ArrayList<>(hit.duplicates().size());
      for (int dup : hit.duplicates()) {
        duplicates.add(
            searcher.storedFields().document(dup, Set.of(ImageSchema.ID)).get(ImageSchema.ID));
      }
      hits.add(
          new Hit(
              stored.get(ImageSchema.ID),
              stored.get(ImageSchema.URI),
              stored.get(ImageSchema.CAPTION),
              stored.get(ImageSchema.CLASS),
              hit.score(),
              doc,
              explanation,
              duplicates));
    }
    return hits;
  }

  private static Map<Integer, Integer> positions(TopDocs list) {
    Map<Integer, Integer> positions = new HashMap<>(list.scoreDocs.length * 2);
    ScoreDoc[] docs = list.scoreDocs;
    for (int i = 0; i < docs.length; i++) {
      positions.put(docs[i].doc, i);
    }
    return positions;
  }
}
