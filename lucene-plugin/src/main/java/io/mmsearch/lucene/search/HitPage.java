package io.mmsearch.lucene.search;

import io.mmsearch.lucene.schema.ImageSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * Turns the requested slice {@code [from, from + size)} of a ranked list into {@link Hit}s: the
 * stored fields a hit shows and a {@link HitExplanation} of where each came from. Stateless.
 */
final class HitPage {
  private static final Set<String> HIT_FIELDS =
      Set.of(ImageSchema.ID, ImageSchema.URI, ImageSchema.CAPTION, ImageSchema.CLASS);

  private HitPage() {}

  /**
   * @param ranked the final ranking
   * @param keyword the keyword list (empty if the request had no keyword part)
   * @param approximate the HNSW candidates by approximate score (empty without a vector part)
   * @param exact the vector list by exact score, if the candidates were re-ranked
   */
  static List<Hit> of(
      IndexSearcher searcher,
      SearchRequest request,
      TopDocs ranked,
      TopDocs keyword,
      TopDocs approximate,
      Optional<TopDocs> exact)
      throws IOException {
    Map<Integer, Integer> keywordPos = positions(keyword);
    Map<Integer, Integer> approxPos = positions(approximate);
    Map<Integer, Integer> exactPos = exact.map(HitPage::positions).orElse(Map.of());
    List<Hit> hits = new ArrayList<>();
    int end = (int) Math.min(ranked.scoreDocs.length, (long) request.from() + request.size());
    for (int i = request.from(); i < end; i++) {
      ScoreDoc hit = ranked.scoreDocs[i];
      Integer kp = keywordPos.get(hit.doc);
      Integer ap = approxPos.get(hit.doc);
      Integer ep = exactPos.get(hit.doc);
      HitExplanation explanation =
          new HitExplanation(
              kp == null ? Float.NaN : keyword.scoreDocs[kp].score,
              kp == null ? 0 : kp + 1,
              ap == null ? Float.NaN : approximate.scoreDocs[ap].score,
              ap == null ? 0 : ap + 1,
              ep == null ? Float.NaN : exact.get().scoreDocs[ep].score,
              ep == null ? 0 : ep + 1,
              hit.score);
      Document stored = searcher.storedFields().document(hit.doc, HIT_FIELDS);
      hits.add(
          new Hit(
              stored.get(ImageSchema.ID),
              stored.get(ImageSchema.URI),
              stored.get(ImageSchema.CAPTION),
              stored.get(ImageSchema.CLASS),
              hit.score,
              hit.doc,
              explanation));
    }
    return hits;
  }

  private static Map<Integer, Integer> positions(TopDocs list) {
    Map<Integer, Integer> positions = new HashMap<>(list.scoreDocs.length * 2);
    for (int i = 0; i < list.scoreDocs.length; i++) {
      positions.put(list.scoreDocs[i].doc, i);
    }
    return positions;
  }
}
