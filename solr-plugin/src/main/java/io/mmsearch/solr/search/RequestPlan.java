package io.mmsearch.solr.search;

import io.mmsearch.semantics.Diversity;
import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.Ranked;
import io.mmsearch.semantics.RankingStages;
import io.mmsearch.semantics.TargetJoin;
import io.mmsearch.semantics.VectorMix;
import io.mmsearch.semantics.VectorScores;
import io.mmsearch.semantics.VectorTarget;
import io.mmsearch.semantics.Weighted;
import io.mmsearch.solr.model.SharedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.handler.component.ShardRequest;

/**
 * The state of one mmsearch request on the coordinating node, from its parsed {@link
 * MultimodalRequest} to the main query Solr runs: the query vector being mixed (text, images, raw
 * vector and example texts when the request arrives; example documents once they are fetched), the
 * shard requests of the distributed stages, the lists they return, and the shared {@link
 * RankingStages} run over those lists. One per request; not thread-safe (Solr runs a request's
 * stages on one thread).
 */
final class RequestPlan {
  final MultimodalRequest request;
  final String idField;
  final String keywordFields;
  final String imageField;
  private final boolean userSort;
  private final VectorMix mix;
  private float[] vector;

  ShardRequest exampleRequest;
  final Map<String, float[]> exampleVectors = new HashMap<>();
  ShardRequest keywordRequest;
  final List<ShardRequest> targetRequests = new ArrayList<>();
  final List<ListHit> keywordHits = new ArrayList<>();
  final List<List<ListHit>> targetHits = new ArrayList<>();

  /** The near-duplicates collapsed into each hit of the ranking, for the response. */
  final Map<String, List<String>> duplicates = new LinkedHashMap<>();

  /**
   * Encodes the request's text, images and example texts with the node's model (through its query
   * cache) and adds them, and the raw vector, to the mix, in this order: text, image, vector, like
   * texts, unlike texts, unlike images; example documents follow once fetched.
   *
   * @throws io.mmsearch.semantics.InvalidQueryException if a source has the wrong dimension, is not
   *     finite or is zero
   */
  RequestPlan(
      MultimodalRequest r,
      SharedModel model,
      String idField,
      String keywordFields,
      String imageField,
      boolean userSort) {
    this.request = r;
    this.userSort = userSort;
    this.idField = idField;
    this.keywordFields = keywordFields;
    this.imageField = imageField;
    this.mix = VectorMix.of(model.identity().dimension());
    if (r.text != null) {
      mix.add("the vector of text '" + r.text + "'", model.encodeQueryText(r.text), r.textWeight);
    }
    if (r.image != null) {
      mix.add("the vector of the query image", model.encodeQueryImage(r.image), r.imageWeight);
    }
    if (r.vector != null) {
      mix.add(MultimodalParams.VECTOR, r.vector, r.vectorWeight);
    }
    for (Weighted t : r.likeTexts) {
      mix.add(
          "the vector of text '" + t.value() + "'", model.encodeQueryText(t.value()), t.weight());
    }
    for (Weighted t : r.unlikeTexts) {
      mix.subtract(
          "negative example the vector of text '" + t.value() + "'",
          model.encodeQueryText(t.value()),
          t.weight());
    }
    for (byte[] image : r.unlikeImages) {
      mix.subtract(
          "negative example the vector of the query image",
          model.encodeQueryImage(image),
          r.unlikeImageWeight);
    }
    for (int t = 0; t < r.stages.targets().size(); t++) {
      targetHits.add(new ArrayList<>());
    }
  }

  boolean needsExamples() {
    return !request.examples.isEmpty();
  }

  /**
   * Adds the example documents' vectors (fetched into {@link #exampleVectors}) and normalises the
   * mix: the query vector is then {@link #vector()}.
   *
   * @throws InvalidQueryException naming the parameter if an example document does not exist, or
   *     the mix is invalid (negative examples only, parts that cancel out)
   */
  void finishVector() {
    if (!request.hasVectorPart()) {
      return;
    }
    for (MultimodalRequest.Example e : request.examples) {
      float[] v = exampleVectors.get(e.id);
      if (v == null) {
        throw new InvalidQueryException(
            e.parameter()
                + " '"
                + e.id
                + "': no live document with that id and a "
                + imageField
                + " vector");
      }
      String label = "the vector of document '" + e.id + "'";
      if (e.negative) {
        mix.subtract("negative example " + label, v, e.weight);
      } else {
        mix.add(label, v, e.weight);
      }
    }
    vector = mix.target();
  }

  /** The unit query vector, once {@link #finishVector()} ran. */
  float[] vector() {
    return vector;
  }

  /** The main query of a request that is not ranked on the coordinator. */
  String unfusedQuery(ModifiableSolrParams p) {
    if (!request.hasVectorPart()) {
      return QueryStrings.keywordQuery(p, request, keywordFields);
    }
    if (!request.hasKeywordPart()) {
      return QueryStrings.vectorQuery(p, request, request.field(), vector, false, request.rerank);
    }
    return QueryStrings.sumQuery(p, request, vector, keywordFields);
  }

  /**
   * The fields each list's hits must carry for the stages: the targets' vectors when several are
   * joined by their mean, the image vector and content hash for diversity.
   */
  List<String> featureFields(boolean targetList) {
    Set<String> fields = new LinkedHashSet<>();
    RankingStages stages = request.stages;
    if (targetList && stages.joinsTargets() && stages.join().givesSimilarities()) {
      for (VectorTarget t : stages.targets()) {
        fields.add(t.field());
      }
    }
    if (stages.diversity().needsVectors()) {
      fields.add(imageField);
    }
    return new ArrayList<>(fields);
  }

  /** Whether the lists must carry each hit's content hash. */
  boolean needsContentHash() {
    return request.stages.diversity().collapseHash();
  }

  /**
   * Runs the shared ranking stages over the global lists and writes the main query of the ranked
   * request into {@code p}: the ranking's documents carry their scores within the matched set, a
   * sort puts them in the ranking's order (unless the user gave a sort), and the rows never reach
   * past the ranking.
   */
  void rank(ModifiableSolrParams p) {
    MultimodalRequest r = request;
    int listDepth = r.listDepth();
    Map<String, ListHit> byId = new HashMap<>();
    List<Ranked<String>> keyword = null;
    if (r.hasKeywordPart()) {
      keyword = RankedIds.merge(ranked(keywordHits, byId), listDepth);
    }
    List<List<Ranked<String>>> targets = new ArrayList<>();
    if (r.hasVectorPart()) {
      for (List<ListHit> hits : targetHits) {
        targets.add(RankedIds.merge(ranked(hits, byId), listDepth));
      }
    }
    List<VectorTarget> targetList = r.stages.targets();
    TargetJoin.TargetScores<String> scores =
        (id, t) -> {
          ListHit hit = byId.get(id);
          float[] v = hit == null ? null : hit.vectors().get(targetList.get(t).field());
          return v == null ? Float.NaN : VectorScores.similarity(vector, v);
        };
    Diversity.HitFeatures<String> features =
        new Diversity.HitFeatures<>() {
          @Override
          public float[] imageVector(String id) {
            return byId.get(id).vectors().get(imageField);
          }

          @Override
          public String contentHash(String id) {
            return byId.get(id).contentHash();
          }
        };
    RankingStages.Outcome<String> outcome =
        r.stages.run(keyword, targets, scores, features, r.window());
    List<Ranked<String>> ranking = new ArrayList<>(outcome.ranking().size());
    for (Diversity.DiverseHit<String> hit : outcome.ranking()) {
      ranking.add(new Ranked<>(hit.key(), hit.score()));
      if (!hit.duplicates().isEmpty()) {
        duplicates.put(hit.key(), hit.duplicates());
      }
    }
    p.set(
        CommonParams.Q,
        QueryStrings.rankedQuery(p, r, vector, keywordFields, idField, ranking, outcome));
    if (!userSort) {
      p.set(CommonParams.SORT, QueryStrings.rankedSort(idField));
    }
    int start = r.depth.from();
    p.set(CommonParams.ROWS, Math.max(0, Math.min(r.depth.size(), ranking.size() - start)));
  }

  /** The response section of collapsed near-duplicates: hit id to the ids folded into it. */
  NamedList<Object> duplicatesSection() {
    SimpleOrderedMap<Object> section = new SimpleOrderedMap<>();
    duplicates.forEach(section::add);
    return section;
  }

  private static List<Ranked<String>> ranked(List<ListHit> hits, Map<String, ListHit> byId) {
    List<Ranked<String>> out = new ArrayList<>(hits.size());
    for (ListHit h : hits) {
      out.add(h.ranked());
      byId.merge(h.id(), h, RequestPlan::union);
    }
    return out;
  }

  /** The same document from two lists: the vectors of both. */
  private static ListHit union(ListHit a, ListHit b) {
    Map<String, float[]> vectors = new HashMap<>(a.vectors());
    vectors.putAll(b.vectors());
    return new ListHit(
        a.id(), a.score(), vectors, a.contentHash() != null ? a.contentHash() : b.contentHash());
  }
}
