package io.mmsearch.solr.search;

import static io.mmsearch.solr.search.MultimodalParams.*;

import io.mmsearch.semantics.Diversity;
import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.RankingStages;
import io.mmsearch.semantics.ScoreCutoff;
import io.mmsearch.semantics.SearchDepth;
import io.mmsearch.semantics.TargetJoin;
import io.mmsearch.semantics.VectorMix;
import io.mmsearch.semantics.VectorTarget;
import io.mmsearch.semantics.Weighted;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.SolrParams;

/**
 * What one search request asks of mmsearch, read from its parameters (and the uploaded image, if
 * any) and validated by the shared query semantics ({@link SearchDepth}, {@link Fusion}, the ones
 * the embedded index runs). Immutable after parsing.
 */
final class MultimodalRequest {
  /** A document given as an example: more like it, or (negative) less like it. */
  static final class Example {
    final String id;
    final float weight;
    final boolean negative;

    Example(String id, float weight, boolean negative) {
      this.id = id;
      this.weight = weight;
      this.negative = negative;
    }

    /** The parameter that named it, for messages. */
    String parameter() {
      return negative ? UNLIKE : LIKE;
    }
  }

  final String text;
  final float textWeight;
  final byte[] image;
  final float imageWeight;
  final float[] vector;
  final float vectorWeight;
  final List<Example> examples;
  final List<Weighted> likeTexts;
  final List<Weighted> unlikeTexts;
  final List<byte[]> unlikeImages;
  final float unlikeImageWeight;
  final String keywords;
  final String userQuery;
  final SearchDepth depth;
  final boolean rerank;

  /** Targets, join, cut-offs, fusion and diversity: the shared ranking stages. */
  final RankingStages stages;

  /**
   * How a hybrid request fuses on the coordinator (rrf, linear); null for Solr's own {@code sum}.
   */
  final Fusion fusion;

  /** Weights of the keyword and the vector list (the boosts of {@code sum}). */
  final float keywordWeight;

  final float vectorListWeight;

  private MultimodalRequest(
      SolrParams p, byte[] uploaded, String imageField, String captionField, int maxWindow) {
    text = blankToNull(p.get(TEXT));
    String b64 = blankToNull(p.get(IMAGE));
    if (b64 != null && uploaded != null) {
      throw new IllegalArgumentException(
          "give the query image either as " + IMAGE + " or as the request body, not both");
    }
    image = b64 != null ? decodeBase64(IMAGE, b64) : uploaded;
    String v = blankToNull(p.get(VECTOR));
    vector = v == null ? null : parseVector(v);
    textWeight = weight(p, TEXT);
    imageWeight = weight(p, IMAGE);
    vectorWeight = weight(p, VECTOR);
    examples = new ArrayList<>();
    float likeWeight = weight(p, LIKE);
    for (String id : values(p, LIKE)) {
      Weighted w = Weighted.parse(LIKE, id, likeWeight);
      examples.add(new Example(w.value(), w.weight(), false));
    }
    for (String id : values(p, UNLIKE)) {
      Weighted w = Weighted.parse(UNLIKE, id, VectorMix.DEFAULT_NEGATIVE_WEIGHT);
      examples.add(new Example(w.value(), w.weight(), true));
    }
    likeTexts = weighted(p, LIKE_TEXT, 1f);
    unlikeTexts = weighted(p, UNLIKE_TEXT, VectorMix.DEFAULT_NEGATIVE_WEIGHT);
    unlikeImages = new ArrayList<>();
    for (String s : values(p, UNLIKE_IMAGE)) {
      unlikeImages.add(decodeBase64(UNLIKE_IMAGE, s));
    }
    unlikeImageWeight =
        Fusion.requireWeight(
            UNLIKE_IMAGE_WEIGHT,
            p.getFloat(UNLIKE_IMAGE_WEIGHT, VectorMix.DEFAULT_NEGATIVE_WEIGHT));
    keywords = blankToNull(p.get(KEYWORDS));
    userQuery = blankToNull(p.get(CommonParams.Q));
    int rows = p.getInt(CommonParams.ROWS, CommonParams.ROWS_DEFAULT);
    int start = p.getInt(CommonParams.START, CommonParams.START_DEFAULT);
    // Without mmsearch.k the window is the page: max(1, start + rows).
    int k = p.get(K) == null ? 1 : p.getInt(K, 1);
    try {
      depth =
          new SearchDepth(
                  k,
                  start,
                  rows,
                  p.getInt(CANDIDATES, 0),
                  p.getFloat(OVERSAMPLE, SearchDepth.DEFAULT_OVERSAMPLE))
              .requireWindowAtMost(maxWindow, "page with a smaller window");
    } catch (InvalidQueryException e) {
      throw new InvalidQueryException(
          e.getMessage()
              + " (parameters "
              + K
              + ", start, rows, "
              + CANDIDATES
              + ", "
              + OVERSAMPLE
              + ")");
    }
    rerank = p.getBool(RERANK, true);
    int rankConstant = p.getInt(RANK_CONSTANT, Fusion.DEFAULT_RANK_CONSTANT);
    keywordWeight = Fusion.requireWeight(KEYWORD_WEIGHT, p.getFloat(KEYWORD_WEIGHT, 1f));
    vectorListWeight = Fusion.requireWeight(VECTOR_LIST_WEIGHT, p.getFloat(VECTOR_LIST_WEIGHT, 1f));
    String fusionName = p.get(FUSION, "rrf").strip().toLowerCase(Locale.ROOT);
    switch (fusionName) {
      case "rrf":
        fusion = Fusion.rrf(rankConstant, keywordWeight, vectorListWeight);
        break;
      case "linear":
        fusion = Fusion.linear(keywordWeight, vectorListWeight);
        break;
      case "sum":
        fusion = null;
        break;
      default:
        throw new InvalidQueryException(
            FUSION + " must be rrf, linear or sum, got '" + p.get(FUSION) + "'");
    }
    stages = stages(p, imageField, captionField);
    if (fusion == null && ranksOnCoordinator()) {
      throw new InvalidQueryException(
          FUSION
              + "=sum is Solr's own per-shard combination and cannot be combined with several"
              + " targets, cut-offs or diversity; use rrf or linear");
    }
  }

  private RankingStages stages(SolrParams p, String imageField, String captionField) {
    String field = blankToNull(p.get(FIELD));
    String targetSpec = blankToNull(p.get(TARGET));
    if (field != null && targetSpec != null) {
      throw new InvalidQueryException("give either " + FIELD + " or " + TARGET + ", not both");
    }
    List<VectorTarget> targets =
        field != null
            ? List.of(VectorTarget.of(field))
            : VectorTarget.parseList(TARGET, targetSpec, imageField, captionField);
    TargetJoin join;
    try {
      join = TargetJoin.named(p.get(TARGET_JOIN, "mean"));
    } catch (InvalidQueryException e) {
      throw new InvalidQueryException(TARGET_JOIN + ": " + e.getMessage());
    }
    ScoreCutoff keywordCutoff =
        new ScoreCutoff(floatOrNaN(p, KEYWORD_MIN_SCORE), p.getInt(AUTOCUT, 0));
    ScoreCutoff vectorCutoff = new ScoreCutoff(floatOrNaN(p, MIN_SCORE), p.getInt(AUTOCUT, 0));
    Diversity diversity = Diversity.NONE;
    if (p.get(COLLAPSE_COSINE) != null) {
      diversity =
          diversity.withCollapseHash(true).withCollapseCosine(p.getFloat(COLLAPSE_COSINE, 0f));
    } else if (p.getBool(COLLAPSE, false)) {
      diversity =
          diversity.withCollapseHash(true).withCollapseCosine(Diversity.DEFAULT_COLLAPSE_COSINE);
    }
    if (p.get(MMR) != null) {
      diversity = diversity.withMmr(p.getFloat(MMR, 1f));
    }
    try {
      return new RankingStages(
          targets,
          join,
          keywordCutoff,
          vectorCutoff,
          fusion == null ? Fusion.rrf() : fusion,
          diversity);
    } catch (InvalidQueryException e) {
      // The shared stages name their settings as the embedded request does; say Solr's names.
      throw new InvalidQueryException(
          e.getMessage()
              .replace(RankingStages.KEYWORD_MIN_SCORE, KEYWORD_MIN_SCORE)
              .replace(RankingStages.MIN_SCORE + " ", MIN_SCORE + " "));
    }
  }

  /**
   * The mmsearch part of a request, or null if it has none (the request is left to Solr).
   *
   * @param uploaded the query image sent as the request body, or null
   * @throws IllegalArgumentException naming the parameter and the reason
   */
  static MultimodalRequest parse(
      SolrParams params, byte[] uploaded, String imageField, String captionField, int maxWindow) {
    boolean any = uploaded != null;
    for (String name :
        List.of(
            TEXT, IMAGE, VECTOR, LIKE, UNLIKE, LIKE_TEXT, UNLIKE_TEXT, UNLIKE_IMAGE, KEYWORDS)) {
      any |= params.get(name) != null;
    }
    return any
        ? new MultimodalRequest(params, uploaded, imageField, captionField, maxWindow)
        : null;
  }

  /** Whether the request has vector sources (a positive one or negative examples only). */
  boolean hasVectorPart() {
    return text != null
        || image != null
        || vector != null
        || !examples.isEmpty()
        || !likeTexts.isEmpty()
        || !unlikeTexts.isEmpty()
        || !unlikeImages.isEmpty();
  }

  /** The ids of every document given as an example (excluded from the results). */
  List<String> exampleIds() {
    List<String> ids = new ArrayList<>(examples.size());
    for (Example e : examples) {
      ids.add(e.id);
    }
    return ids;
  }

  boolean hasKeywordPart() {
    return keywords != null || userQuery != null;
  }

  boolean isHybrid() {
    return hasVectorPart() && hasKeywordPart();
  }

  /**
   * Whether the coordinator retrieves the lists and ranks them with the shared stages: a hybrid
   * request fused by RRF or linear, several targets, a cut-off or diversity.
   */
  boolean ranksOnCoordinator() {
    return (isHybrid() && fusion != null)
        || (hasVectorPart() && stages.joinsTargets())
        || stages.keywordCutoff().isActive()
        || stages.vectorCutoff().isActive()
        || stages.diversity().isActive();
  }

  /** The first (with one target, the only) vector field searched. */
  String field() {
    return stages.targets().get(0).field();
  }

  /** {@code max(k, start + rows)}: the window of the ranking. */
  int window() {
    return depth.window();
  }

  /** How deep each list is read: the window, or the diversity candidates if deeper. */
  int listDepth() {
    return stages.listDepth(depth.window());
  }

  /**
   * Nearest neighbours per shard ({@code topK}): the shared {@link SearchDepth#candidateCount()} of
   * the list depth.
   */
  int candidates() {
    int listDepth = listDepth();
    if (listDepth == depth.window()) {
      return depth.candidateCount();
    }
    int k = Math.max(depth.k(), listDepth);
    return new SearchDepth(
            k,
            depth.from(),
            depth.size(),
            depth.numCandidates() == 0 ? 0 : Math.max(depth.numCandidates(), k),
            depth.oversample())
        .candidateCount();
  }

  private static byte[] decodeBase64(String parameter, String s) {
    try {
      return Base64.getMimeDecoder().decode(s.strip().replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(parameter + " is not valid base64: " + e.getMessage());
    }
  }

  private static List<String> values(SolrParams p, String name) {
    String[] values = p.getParams(name);
    List<String> out = new ArrayList<>();
    if (values != null) {
      for (String v : values) {
        if (!v.isBlank()) {
          out.add(v);
        }
      }
    }
    return out;
  }

  private static List<Weighted> weighted(SolrParams p, String name, float defaultWeight) {
    List<Weighted> out = new ArrayList<>();
    for (String v : values(p, name)) {
      out.add(Weighted.parse(name, v, defaultWeight));
    }
    return out;
  }

  private static float floatOrNaN(SolrParams p, String name) {
    String v = blankToNull(p.get(name));
    if (v == null) {
      return Float.NaN;
    }
    try {
      return Float.parseFloat(v.strip());
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(name + " must be a number, got '" + v + "'");
    }
  }

  static float[] parseVector(String s) {
    String body = s.strip();
    if (!body.startsWith("[") || !body.endsWith("]")) {
      throw new IllegalArgumentException(VECTOR + " must look like [0.1,0.2,...]");
    }
    body = body.substring(1, body.length() - 1).strip();
    if (body.isEmpty()) {
      throw new IllegalArgumentException(VECTOR + " is empty");
    }
    String[] parts = body.split(",");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        v[i] = Float.parseFloat(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            VECTOR + " component " + i + " is not a number: '" + parts[i].strip() + "'");
      }
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(VECTOR + " component " + i + " is " + v[i]);
      }
    }
    return v;
  }

  private static float weight(SolrParams p, String source) {
    String name = source + WEIGHT_SUFFIX;
    return Fusion.requireWeight(name, p.getFloat(name, 1f));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
