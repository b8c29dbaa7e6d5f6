package io.mmsearch.tools.eval;

import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ANN-versus-exact recall of an index: for each query vector, the share of the exact top-k (a flat
 * exhaustive search over the full-precision image vectors) that the approximate HNSW search returns
 * without re-ranking. Stateless.
 */
public final class AnnRecallEvaluation {

  private AnnRecallEvaluation() {}

  /**
   * Measures recall@k.
   *
   * @param searcher searches the index approximately
   * @param index the same index's vectors and ids
   * @param exact a flat exact index over {@code index.vectors()}; not closed here
   * @param queries the query vectors (unit length, the model's dimension)
   * @param k how many neighbours count
   * @param numCandidates HNSW candidates per query (0: k)
   */
  public static EvalLine run(
      MultimodalSearcher searcher,
      IndexedImages index,
      FlatExactIndex exact,
      List<float[]> queries,
      int k,
      int numCandidates)
      throws IOException {
    if (queries.isEmpty()) {
      throw new EvalInputException("ANN-versus-exact recall needs at least one query vector");
    }
    ExactHits truth = exact.search(queries.toArray(float[][]::new), k);
    double sum = 0;
    for (int q = 0; q < queries.size(); q++) {
      Set<String> expected = new HashSet<>();
      for (int doc : truth.docIds(q)) {
        expected.add(index.idOfDoc(doc));
      }
      // Oversample 1: the graph's own top k from exactly the candidates asked for, not the
      // search default's extra candidates.
      SearchRequest.Builder query =
          SearchRequest.builder()
              .vector(queries.get(q))
              .k(k)
              .size(k)
              .oversample(1)
              .rerank(false)
              .facets(false);
      if (numCandidates > 0) {
        query.numCandidates(Math.max(numCandidates, k));
      }
      int found = 0;
      for (Hit hit : searcher.search(query.build()).hits()) {
        found += expected.contains(hit.id()) ? 1 : 0;
      }
      sum += found / (double) expected.size();
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("recall", sum / queries.size());
    figures.put("k", (double) k);
    return new EvalLine(EvalTask.ANN_VS_EXACT, EvalMode.VECTOR, null, queries.size(), figures);
  }
}
