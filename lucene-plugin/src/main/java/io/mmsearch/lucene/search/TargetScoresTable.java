package io.mmsearch.lucene.search;

import io.mmsearch.semantics.TargetJoin;
import io.mmsearch.semantics.VectorScores;
import io.mmsearch.semantics.VectorTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.IndexReader;

/**
 * Every score the target join needs: the similarity of the query vector and each document's vector
 * in each target field, for the documents any target's list found (read once, in doc-id order, and
 * scored by the shared {@link VectorScores#similarity}, the function Solr's coordinator uses too).
 * Immutable after construction.
 */
final class TargetScoresTable implements TargetJoin.TargetScores<Integer> {
  private final List<Map<Integer, float[]>> vectors;
  private final float[] query;

  private TargetScoresTable(List<Map<Integer, float[]>> vectors, float[] query) {
    this.vectors = vectors;
    this.query = query;
  }

  static TargetScoresTable read(
      IndexReader reader, List<VectorTarget> targets, Set<Integer> docs, float[] query)
      throws IOException {
    List<Map<Integer, float[]>> vectors = new ArrayList<>(targets.size());
    for (VectorTarget t : targets) {
      vectors.add(DocVectors.read(reader, t.field(), docs));
    }
    return new TargetScoresTable(vectors, query);
  }

  @Override
  public float score(Integer doc, int target) {
    float[] v = vectors.get(target).get(doc);
    return v == null ? Float.NaN : VectorScores.similarity(query, v);
  }
}
