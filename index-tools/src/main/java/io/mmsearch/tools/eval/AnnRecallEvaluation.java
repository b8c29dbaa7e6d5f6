package io.mmsearch.tools.eval;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * ANN-versus-exact recall of an index: for each query vector, the share of the exact top-k (a flat
 * exhaustive search over the full-precision image vectors) that the approximate HNSW search returns
 * without re-ranking. Stateless.
 *
 * <p>A document whose vector is the query itself (an indexed image used as its own query) is left
 * out of both lists: it is the one neighbour every search finds, and counting it would lift recall
 * without measuring the graph. Queries should still be held out (see {@link AnnQueries}): a query
 * that is a node of the graph is easier for HNSW than one that is not.
 */
public final class AnnRecallEvaluation {

  /** An exact score at least this high means the document's vector is the query. */
  static final float SELF_SCORE = 1f - 1e-5f;

  /** Exact neighbours read beyond k, so that k remain after leaving out copies of the query. */
  private static final int SELF_SLACK = 4;

  private AnnRecallEvaluation() {}

  /**
   * Query vectors for the ANN check and where they come from, said in the result line.
   *
   * @param source e.g. {@code "query sets"}, {@code "held-out captions"}
   * @param vectors unit length, the model's dimension
   */
  public record AnnQueries(String source, List<float[]> vectors) {
    public AnnQueries {
      Objects.requireNonNull(source, "source");
      vectors = List.copyOf(vectors);
    }

    /** The first {@code n} vectors of the evaluated query sets. */
    public static AnnQueries ofQuerySets(List<float[]> queryVectors, int n) {
      return new AnnQueries(
          "query sets", queryVectors.subList(0, Math.min(n, queryVectors.size())));
    }

    /**
     * Held-out queries when no query set is given: the first captions of {@code n} documents
     * sampled with {@code seed}, encoded by the text encoder (what a user types; no such vector is
     * in the graph). Without captions, {@code n} sampled indexed image vectors, each with itself
     * left out of its neighbours.
     */
    public static AnnQueries heldOut(IndexedImages index, TextEncoder text, int n, long seed) {
      List<Integer> rows = new ArrayList<>();
      for (int row = 0; row < index.size(); row++) {
        rows.add(row);
      }
      Collections.shuffle(rows, new Random(seed));
      List<String> captions = new ArrayList<>();
      for (int row : rows) {
        String caption = index.firstCaption(row);
        if (caption != null && captions.size() < n) {
          captions.add(caption);
        }
      }
      List<float[]> vectors = new ArrayList<>();
      if (!captions.isEmpty()) {
        for (EncodingResult r : text.encodeEach(captions)) {
          if (r.ok()) {
            vectors.add(r.vector());
          }
        }
      }
      if (!vectors.isEmpty()) {
        return new AnnQueries("held-out captions", vectors);
      }
      return new AnnQueries(
          "indexed images, self excluded",
          rows.stream().limit(n).map(row -> index.vectors().vector(row)).toList());
    }
  }

  /**
   * Measures recall@k.
   *
   * @param searcher searches the index approximately
   * @param index the same index's vectors and ids
   * @param exact a flat exact index over {@code index.vectors()}; not closed here
   * @param queries the query vectors and their source (the line's {@code query_set})
   * @param k how many neighbours count
   * @param numCandidates HNSW candidates per query (0: k)
   */
  public static EvalLine run(
      MultimodalSearcher searcher,
      IndexedImages index,
      FlatExactIndex exact,
      AnnQueries queries,
      int k,
      int numCandidates)
      throws IOException {
    List<float[]> vectors = queries.vectors();
    if (vectors.isEmpty()) {
      throw new EvalInputException("ANN-versus-exact recall needs at least one query vector");
    }
    ExactHits truth = exact.search(vectors.toArray(float[][]::new), k + SELF_SLACK);
    double sum = 0;
    int counted = 0;
    for (int q = 0; q < vectors.size(); q++) {
      Set<String> self = new HashSet<>();
      Set<String> expected = new LinkedHashSet<>();
      int[] docs = truth.docIds(q);
      float[] scores = truth.scores(q);
      for (int i = 0; i < docs.length; i++) {
        String id = index.idOfDoc(docs[i]);
        if (scores[i] >= SELF_SCORE) {
          self.add(id);
        } else if (expected.size() < k) {
          expected.add(id);
        }
      }
      if (expected.isEmpty()) {
        continue; // nothing but the query itself in the index
      }
      // Oversample 1: the graph's own top k from exactly the candidates asked for, not the
      // search default's extra candidates.
      int asked = k + self.size();
      SearchRequest.Builder query =
          SearchRequest.builder()
              .vector(vectors.get(q))
              .k(asked)
              .size(asked)
              .oversample(1)
              .rerank(false)
              .facets(false);
      if (numCandidates > 0) {
        query.numCandidates(Math.max(numCandidates, asked));
      }
      int found = 0;
      int taken = 0;
      for (Hit hit : searcher.search(query.build()).hits()) {
        if (self.contains(hit.id()) || taken == k) {
          continue;
        }
        taken++;
        found += expected.contains(hit.id()) ? 1 : 0;
      }
      sum += found / (double) expected.size();
      counted++;
    }
    if (counted == 0) {
      throw new EvalInputException("ANN-versus-exact recall: every query is its only neighbour");
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("recall", sum / counted);
    figures.put("k", (double) k);
    return new EvalLine(EvalTask.ANN_VS_EXACT, EvalMode.VECTOR, queries.source(), counted, figures);
  }
}
