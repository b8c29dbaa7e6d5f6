package io.mmsearch.solr.search;

import static io.mmsearch.solr.search.MultimodalParams.*;

import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.SearchDepth;
import java.util.Base64;
import java.util.Locale;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.SolrParams;

/**
 * What one search request asks of mmsearch, read from its parameters (and the uploaded image, if
 * any) and validated by the shared query semantics ({@link SearchDepth}, {@link Fusion}, the ones
 * the embedded index runs). Immutable after parsing.
 */
final class MultimodalRequest {
  final String text;
  final float textWeight;
  final byte[] image;
  final float imageWeight;
  final float[] vector;
  final float vectorWeight;
  final String likeId;
  final float likeWeight;
  final String keywords;
  final String userQuery;
  final String field;
  final SearchDepth depth;
  final boolean rerank;

  /**
   * How a hybrid request fuses on the coordinator (rrf, linear); null for Solr's own {@code sum}.
   */
  final Fusion fusion;

  /** Weights of the keyword and the vector list (the boosts of {@code sum}). */
  final float keywordWeight;

  final float vectorListWeight;

  private MultimodalRequest(SolrParams p, byte[] uploaded, String defaultField, int maxWindow) {
    text = blankToNull(p.get(TEXT));
    String b64 = blankToNull(p.get(IMAGE));
    if (b64 != null && uploaded != null) {
      throw new IllegalArgumentException(
          "give the query image either as " + IMAGE + " or as the request body, not both");
    }
    image = b64 != null ? decodeBase64(b64) : uploaded;
    String v = blankToNull(p.get(VECTOR));
    vector = v == null ? null : parseVector(v);
    likeId = blankToNull(p.get(LIKE));
    textWeight = weight(p, TEXT);
    imageWeight = weight(p, IMAGE);
    vectorWeight = weight(p, VECTOR);
    likeWeight = weight(p, LIKE);
    keywords = blankToNull(p.get(KEYWORDS));
    userQuery = blankToNull(p.get(CommonParams.Q));
    field = p.get(FIELD, defaultField);
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
  }

  /**
   * The mmsearch part of a request, or null if it has none (the request is left to Solr).
   *
   * @param uploaded the query image sent as the request body, or null
   * @throws IllegalArgumentException naming the parameter and the reason
   */
  static MultimodalRequest parse(
      SolrParams params, byte[] uploaded, String defaultField, int maxWindow) {
    boolean any =
        uploaded != null
            || params.get(TEXT) != null
            || params.get(IMAGE) != null
            || params.get(VECTOR) != null
            || params.get(LIKE) != null
            || params.get(KEYWORDS) != null;
    return any ? new MultimodalRequest(params, uploaded, defaultField, maxWindow) : null;
  }

  boolean hasVectorPart() {
    return text != null || image != null || vector != null || likeId != null;
  }

  boolean hasKeywordPart() {
    return keywords != null || userQuery != null;
  }

  boolean isHybrid() {
    return hasVectorPart() && hasKeywordPart();
  }

  /** Whether the coordinator retrieves and fuses two lists (hybrid RRF or linear). */
  boolean fusesOnCoordinator() {
    return isHybrid() && fusion != null;
  }

  /** How deep each list is read: {@code max(k, start + rows)}. */
  int window() {
    return depth.window();
  }

  /**
   * Nearest neighbours per shard ({@code topK}): the shared {@link SearchDepth#candidateCount()}.
   */
  int candidates() {
    return depth.candidateCount();
  }

  private static byte[] decodeBase64(String s) {
    try {
      return Base64.getMimeDecoder().decode(s.strip().replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(IMAGE + " is not valid base64: " + e.getMessage());
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
