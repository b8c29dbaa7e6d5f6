package io.mmsearch.tools.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.lucene.search.FacetCount;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.HitExplanation;
import io.mmsearch.lucene.search.SearchResults;

/** Renders {@link SearchResults} as the JSON of {@code mmsearch search --json} and the HTTP API. */
public final class ResultsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultsJson() {}

  /**
   * {@code {"total", "ranked", "took_ms", "hits": [{"rank", "id", "uri"?, "caption", "class",
   * "score", "duplicates"?, "explain"?}], "facets": {"class": [{"value", "count"}]}}}; NaN scores
   * become null; {@code duplicates} lists the ids of the near-duplicates collapsed into a hit (only
   * when there are some).
   *
   * @param from the offset of the first hit, so ranks are 1-based over the whole list
   * @param explain include each hit's per-component scores
   * @param withUri include each hit's stored {@code uri} (a local file URI: the command line shows
   *     it, the HTTP API does not)
   */
  public static ObjectNode toJson(
      SearchResults results, int from, boolean explain, boolean withUri, double tookMs) {
    ObjectNode o = JSON.createObjectNode();
    o.put("total", results.totalMatches());
    o.put("ranked", results.rankedCount());
    o.put("took_ms", Math.round(tookMs * 100) / 100.0);
    ArrayNode hits = o.putArray("hits");
    int rank = from;
    for (Hit h : results.hits()) {
      ObjectNode n = hits.addObject();
      n.put("rank", ++rank);
      n.put("id", h.id());
      if (withUri) {
        n.put("uri", h.uri());
      }
      n.put("caption", h.caption());
      n.put("class", h.className());
      putScore(n, "score", h.score());
      if (!h.duplicates().isEmpty()) {
        ArrayNode dups = n.putArray("duplicates");
        h.duplicates().forEach(dups::add);
      }
      if (explain) {
        n.set("explain", explanation(h.explanation()));
      }
    }
    ArrayNode classes = o.putObject("facets").putArray("class");
    for (FacetCount f : results.classCounts()) {
      classes.addObject().put("value", f.value()).put("count", f.count());
    }
    return o;
  }

  private static ObjectNode explanation(HitExplanation e) {
    ObjectNode n = JSON.createObjectNode();
    if (e.matchedKeywords()) {
      putScore(n, "bm25", e.keywordScore());
      n.put("bm25_rank", e.keywordRank());
    }
    if (e.matchedVector()) {
      putScore(n, "knn", e.approximateVectorScore());
      n.put("knn_rank", e.approximateVectorRank());
      if (e.exactVectorRank() > 0) {
        putScore(n, "exact", e.exactVectorScore());
        n.put("exact_rank", e.exactVectorRank());
      }
      if (!e.targetScores().isEmpty()) {
        ObjectNode targets = n.putObject("targets");
        e.targetScores().forEach((field, score) -> putScore(targets, field, score));
        putScore(n, "vector", e.vectorScore());
        n.put("vector_rank", e.vectorRank());
      }
    }
    putScore(n, "fused", e.fusedScore());
    return n;
  }

  private static void putScore(ObjectNode n, String name, float score) {
    if (Float.isNaN(score)) {
      n.putNull(name);
    } else {
      n.put(name, Math.round(score * 1e6) / 1e6);
    }
  }
}
