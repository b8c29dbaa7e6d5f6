package io.mmsearch.solr.search;

import io.mmsearch.semantics.SearchDepth;

/**
 * Request parameters of {@link MultimodalSearchComponent}. All start with {@code mmsearch.}, in the
 * way Solr's own components prefix theirs ({@code facet.}, {@code hl.}).
 */
public final class MultimodalParams {
  private MultimodalParams() {}

  static final String PREFIX = "mmsearch.";

  /** Query text, embedded by the text encoder. */
  public static final String TEXT = PREFIX + "text";

  /**
   * Query image: URL-safe (or standard) base64 of an image file. An image can also be sent as the
   * request body (any {@code image/*} or {@code application/octet-stream} content).
   */
  public static final String IMAGE = PREFIX + "image";

  /** A raw query vector, {@code [0.1,0.2,...]}, of the model's dimension. */
  public static final String VECTOR = PREFIX + "vector";

  /** More like the indexed document with this id (by its stored vector; it is excluded). */
  public static final String LIKE = PREFIX + "like";

  /** Suffix of each source's mixing weight: {@code mmsearch.text.weight}, ... (default 1). */
  public static final String WEIGHT_SUFFIX = ".weight";

  /** Free keywords, scored BM25 over the keyword fields (any term may match). */
  public static final String KEYWORDS = PREFIX + "keywords";

  /** The vector field searched; default from the component's configuration ({@code image_vec}). */
  public static final String FIELD = PREFIX + "field";

  /**
   * Depth of each ranked list: the window is {@code max(k, start + rows)} ({@link
   * SearchDepth#window()}); default {@code start + rows}.
   */
  public static final String K = PREFIX + "k";

  /**
   * HNSW candidates per shard = max(candidates, ceil(window · oversample)); default 0 and {@link
   * #DEFAULT_OVERSAMPLE}.
   */
  public static final String CANDIDATES = PREFIX + "candidates";

  /** See {@link #CANDIDATES}. */
  public static final String OVERSAMPLE = PREFIX + "oversample";

  /**
   * Default of {@link #OVERSAMPLE}: 4, the embedded searcher's default, chosen by {@code ./mmsearch
   * bench ann} on real image embeddings (recall@10 0.95 at one candidate per hit, 0.996-0.999 at
   * four; docs/benchmarks.md, "Tuning sweep"). At 1 the retrained default model's text queries fell
   * to recall@10 0.93 against exact search in {@code MultimodalCloudTest}.
   */
  public static final float DEFAULT_OVERSAMPLE = SearchDepth.DEFAULT_OVERSAMPLE;

  /** Score the kNN candidates exactly on full-precision vectors (default true). */
  public static final String RERANK = PREFIX + "rerank";

  /** {@code rrf} (default), {@code linear} or {@code sum}: how a hybrid query fuses its lists. */
  public static final String FUSION = PREFIX + "fusion";

  /** RRF rank constant (default 60). */
  public static final String RANK_CONSTANT = FUSION + ".rankConstant";

  /** Weight of the keyword list in fusion (default 1). */
  public static final String KEYWORD_WEIGHT = FUSION + ".keywordWeight";

  /** Weight of the vector list in fusion (default 1). */
  public static final String VECTOR_LIST_WEIGHT = FUSION + ".vectorWeight";

  /** The fused documents with their fused scores, for the main query and its sort. */
  static final String FUSED = PREFIX + "fused";

  /** The matched set of a fused request: keyword matches and kNN candidates, scored 0. */
  static final String MATCHED = PREFIX + "matched";

  // Written by the component for the shards; not for users.
  static final String QUERY_VECTOR = PREFIX + "queryVector";
  static final String KEYWORD_FIELDS = PREFIX + "qf";
  static final String USER_QUERY = PREFIX + "userQuery";
  static final String PRE_FILTER = PREFIX + "preFilter.";
  static final String KEYWORD_CLAUSE = PREFIX + "keywordClause.";
  static final String SUM_KEYWORD = PREFIX + "sumKeyword";
  static final String SUM_VECTOR = PREFIX + "sumVector";
}
