package io.mmsearch.solr.search;

import io.mmsearch.semantics.Ranked;
import io.mmsearch.semantics.VectorMix;
import io.mmsearch.solr.model.SharedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.handler.component.ShardRequest;

/**
 * The state of one mmsearch request on the coordinating node, from its parsed {@link
 * MultimodalRequest} to the main query Solr runs: the query vector being mixed (text, image and raw
 * vector when the request arrives; the like-this example once it is fetched), the shard requests of
 * the distributed stages and the two lists they return. One per request; not thread-safe (Solr runs
 * a request's stages on one thread).
 */
final class RequestPlan {
  final MultimodalRequest request;
  final String idField;
  final String keywordFields;
  private final boolean userSort;
  private final VectorMix mix;
  private float[] vector;

  ShardRequest likeRequest;
  float[] likeVector;
  ShardRequest keywordRequest;
  ShardRequest vectorRequest;
  final List<Ranked<String>> keywordHits = new ArrayList<>();
  final List<Ranked<String>> vectorHits = new ArrayList<>();

  /**
   * Encodes the request's text and image with the node's model and adds them, and the raw vector,
   * to the mix, in the embedded searcher's order (text, image, vector, then like).
   *
   * @throws io.mmsearch.semantics.InvalidQueryException if a source has the wrong dimension, is not
   *     finite or is zero
   */
  RequestPlan(
      MultimodalRequest r,
      SharedModel model,
      String idField,
      String keywordFields,
      boolean userSort) {
    this.request = r;
    this.userSort = userSort;
    this.idField = idField;
    this.keywordFields = keywordFields;
    this.mix = VectorMix.of(model.identity().dimension());
    if (r.text != null) {
      mix.add("the vector of text '" + r.text + "'", model.encodeText(r.text), r.textWeight);
    }
    if (r.image != null) {
      mix.add(
          "the vector of the query image",
          model.encodeImage(r.image, "query image"),
          r.imageWeight);
    }
    if (r.vector != null) {
      mix.add(MultimodalParams.VECTOR, r.vector, r.vectorWeight);
    }
  }

  boolean needsLike() {
    return request.likeId != null;
  }

  /**
   * Adds the like-this example's vector (if the request has one) and normalises the mix: the query
   * vector is then {@link #vector()}.
   */
  void finishVector() {
    if (!request.hasVectorPart()) {
      return;
    }
    if (likeVector != null) {
      mix.add("the vector of document '" + request.likeId + "'", likeVector, request.likeWeight);
    }
    vector = mix.target();
  }

  /** The unit query vector, once {@link #finishVector()} ran. */
  float[] vector() {
    return vector;
  }

  /** The main query of a request that is not fused on the coordinator. */
  String unfusedQuery(ModifiableSolrParams p) {
    if (!request.hasVectorPart()) {
      return QueryStrings.keywordQuery(p, request, keywordFields);
    }
    if (!request.hasKeywordPart()) {
      return QueryStrings.vectorQuery(p, request, vector, false);
    }
    return QueryStrings.sumQuery(p, request, vector, keywordFields);
  }

  /**
   * Fuses the two global lists with the shared arithmetic and writes the main query of the fused
   * request into {@code p} (and its sort, unless the user gave one).
   */
  void setFusedQuery(ModifiableSolrParams p) {
    List<Ranked<String>> fused =
        request.fusion.fuse(
            RankedIds.merge(keywordHits, request.window()),
            RankedIds.merge(vectorHits, request.window()));
    p.set(
        CommonParams.Q, QueryStrings.fusedQuery(p, request, vector, keywordFields, idField, fused));
    if (!userSort) {
      p.set(CommonParams.SORT, QueryStrings.fusedSort(idField));
    }
  }
}
