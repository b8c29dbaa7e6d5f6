package io.mmsearch.solr.search;

import static io.mmsearch.solr.search.MultimodalParams.*;

import java.util.Base64;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.SolrParams;

/**
 * What one search request asks of mmsearch, read from its parameters (and the uploaded image, if
 * any) and validated. Immutable after parsing.
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
  final int window;
  final int candidates;
  final boolean rerank;
  final Fusion fusion;
  final int rankConstant;
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
    if (rows < 0 || start < 0) {
      throw new IllegalArgumentException("rows and start must be >= 0");
    }
    int k = p.getInt(K, 0);
    if (p.get(K) != null && k < 1) {
      throw new IllegalArgumentException(K + " must be >= 1, got " + k);
    }
    window = Math.max(Math.max(k, start + rows), 1);
    if (window > maxWindow) {
      throw new IllegalArgumentException(
          "mmsearch reads at most "
              + maxWindow
              + " hits per list (max("
              + K
              + ", start + rows) = "
              + window
              + "); page with a smaller window");
    }
    int explicitCandidates = p.getInt(CANDIDATES, 0);
    float oversample = p.getFloat(OVERSAMPLE, DEFAULT_OVERSAMPLE);
    if (explicitCandidates < 0) {
      throw new IllegalArgumentException(CANDIDATES + " must be >= 0");
    }
    if (!(oversample >= 1f) || Float.isInfinite(oversample)) {
      throw new IllegalArgumentException(OVERSAMPLE + " must be >= 1, got " + oversample);
    }
    candidates = Math.max(explicitCandidates, (int) Math.ceil(window * (double) oversample));
    rerank = p.getBool(RERANK, true);
    fusion = Fusion.parse(p.get(FUSION, "rrf"));
    rankConstant = p.getInt(RANK_CONSTANT, 60);
    if (rankConstant < 1) {
      throw new IllegalArgumentException(RANK_CONSTANT + " must be >= 1, got " + rankConstant);
    }
    keywordWeight = nonNegative(KEYWORD_WEIGHT, p.getFloat(KEYWORD_WEIGHT, 1f));
    vectorListWeight = nonNegative(VECTOR_LIST_WEIGHT, p.getFloat(VECTOR_LIST_WEIGHT, 1f));
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
    return isHybrid() && fusion.onCoordinator();
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
    return nonNegative(source + WEIGHT_SUFFIX, p.getFloat(source + WEIGHT_SUFFIX, 1f));
  }

  private static float nonNegative(String name, float w) {
    if (!(w >= 0) || Float.isInfinite(w)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + w);
    }
    return w;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
