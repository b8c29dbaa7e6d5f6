package io.mmsearch.lucene.search;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.semantics.Diversity;
import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.RankingStages;
import io.mmsearch.semantics.ScoreCutoff;
import io.mmsearch.semantics.SearchDepth;
import io.mmsearch.semantics.TargetJoin;
import io.mmsearch.semantics.VectorTarget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;

/**
 * Everything one search asks for: the one request type that the builder, the query parser, the
 * command line, the HTTP API and the evaluation all produce, and {@link MultimodalSearcher}
 * executes. Immutable; equal requests are {@code equals} (arrays and Lucene queries compared by
 * content), so a request can key a cache or be compared in a test. Build with {@link #builder()};
 * the constructor validates, so no invalid request exists.
 *
 * <h2>Vector part</h2>
 *
 * Any number of {@link VectorPart}s: query text, image bytes, raw vectors, documents to find more
 * like, and any of these as {@linkplain VectorPart.Negative negative examples} (relevance
 * feedback). They are mixed into one unit vector by {@link QueryVectorMixer} (each part
 * unit-normalised, weighted, summed or subtracted, the sum normalised). The vector is matched
 * against each of the request's {@linkplain RankingStages#targets() vector targets} ({@code
 * image_vec}, {@code caption_vec} or both, each with a weight; several are joined into one vector
 * list by {@link TargetJoin}). For each target HNSW fetches nearest neighbours with the filter
 * applied inside the graph search; with {@link #rerank()} (the default) they are re-ranked by the
 * exact score of their full-precision vectors and the best {@link #window()} kept. How many: by
 * default as many as the index's own recall calibration of the target field says {@link
 * #targetRecall()} (0.98) needs at this window, for this kind of query (text queries need far more
 * than image queries) and filter ({@link io.mmsearch.semantics.recall.CandidatePlanner}); {@link
 * #numCandidates()} or {@link #oversample()} set the count instead (the expert override: {@code
 * max(numCandidates, ceil(window · oversample))}); a field not calibrated yet fetches {@link
 * VectorFieldConfig#DEFAULT_OVERSAMPLE} (4) per hit. {@link SearchResults#recall()} says what was
 * fetched and the recall to expect.
 *
 * <h2>Keyword part</h2>
 *
 * {@link #keywords()} (analysed; BM25 over {@code caption} and {@code keywords}, any term may
 * match) and/or any Lucene {@link #keywordQuery()}, OR-ed; the best {@link #window()} filtered
 * matches form the keyword list.
 *
 * <h2>Filters, fusion, pages, facets</h2>
 *
 * {@link #classes()} (any of these values of the {@code class} field) and {@link #filter()} (any
 * Lucene query) restrict both lists; a document given as an example (positive or negative) is
 * excluded from the results. Each list may be cut before fusion ({@link ScoreCutoff}: a minimum
 * score, autocut). With both parts the lists are fused by {@link #fusion()}; near-duplicate
 * collapse and MMR may re-rank the result ({@link Diversity}). All of these stages are the shared
 * {@link RankingStages} ({@link #ranking()}), which the Solr plugin runs too. Hits {@code [from,
 * from + size)} of the final list are returned; {@link #window()} {@code = max(k, from + size)}
 * bounds how deep each list is read (deeper with diversity: {@link #retrievalDepth()}), so for a
 * fixed {@code k} pages are consecutive slices of one ranking. With {@link #facets()} the class
 * counts are computed drill-sideways (see {@link SearchResults}).
 *
 * @param vectorParts the sources of the query vector, in order (empty: no vector part)
 * @param keywords free keywords, or {@code null}
 * @param keywordQuery a Lucene query scored as part of the keyword list, or {@code null}
 * @param classes accepted class values (empty: no class filter); iteration in insertion order
 * @param filter a Lucene filter query, or {@code null}
 * @param ranking targets, cut-offs, fusion and diversity: everything after retrieval (see {@link
 *     RankingStages})
 * @param k the result window of each list (at least 1)
 * @param numCandidates HNSW candidates to fetch, or 0: not set
 * @param oversample candidates per window slot before re-ranking (at least 1), or 0: not set
 * @param targetRecall the recall@window asked for when neither of the two above is set, in (0, 1]
 * @param rerank whether HNSW candidates are re-ranked exactly
 * @param from 0-based offset of the first returned hit
 * @param size number of hits returned (0: totals and class counts only)
 * @param facets whether class facet counts are computed
 */
public record SearchRequest(
    List<VectorPart> vectorParts,
    String keywords,
    Query keywordQuery,
    Set<String> classes,
    Query filter,
    RankingStages ranking,
    int k,
    int numCandidates,
    float oversample,
    double targetRecall,
    boolean rerank,
    int from,
    int size,
    boolean facets) {

  /**
   * @throws InvalidRequestException if the request has nothing to search for
   * @throws io.mmsearch.semantics.InvalidQueryException if a setting is out of range ({@link
   *     SearchDepth}, {@link Fusion}); the message names it
   */
  public SearchRequest {
    vectorParts = List.copyOf(vectorParts);
    classes = Collections.unmodifiableSet(new LinkedHashSet<>(classes));
    Objects.requireNonNull(ranking, "ranking");
    for (VectorTarget t : ranking.targets()) {
      if (!ImageSchema.VECTOR_FIELDS.contains(t.field())) {
        throw new InvalidQueryException(
            "unknown vector target field '"
                + t.field()
                + "'; the index's vector fields are "
                + String.join(", ", ImageSchema.VECTOR_FIELDS));
      }
    }
    if (vectorParts.isEmpty() && keywords == null && keywordQuery == null) {
      throw new InvalidRequestException(
          "the request has nothing to search for: give text, an image, a vector, a document to"
              + " find more like, or keywords");
    }
    for (VectorPart part : vectorParts) {
      if (part instanceof VectorPart.Text t && t.text().isBlank()) {
        throw new InvalidRequestException("query text is blank");
      }
      VectorPart example = part instanceof VectorPart.Negative n ? n.example() : part;
      if (example instanceof VectorPart.Text t && t.text().isBlank()) {
        throw new InvalidRequestException("the text of a negative example is blank");
      }
      if (example instanceof VectorPart.Like l && l.id().isBlank()) {
        throw new InvalidRequestException(
            "the id of the document to find "
                + (part.negative() ? "less" : "more")
                + " like is blank");
      }
    }
    if (keywords != null && keywords.isBlank()) {
      throw new InvalidRequestException("keywords are blank");
    }
    depth(k, from, size, numCandidates, oversample, targetRecall); // validates the numbers
  }

  /**
   * A builder with the defaults: k 10, size 10, target recall {@link
   * SearchDepth#DEFAULT_TARGET_RECALL} (no count or oversample set), re-rank on, RRF, facets on.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.vectorParts.addAll(vectorParts);
    b.keywords = keywords;
    b.keywordQuery = keywordQuery;
    b.classes.addAll(classes);
    b.filter = filter;
    b.targets.addAll(ranking.targets());
    b.join = ranking.join();
    b.keywordCutoff = ranking.keywordCutoff();
    b.vectorCutoff = ranking.vectorCutoff();
    b.fusion = ranking.fusion();
    b.diversity = ranking.diversity();
    b.k = k;
    b.numCandidates = numCandidates;
    b.oversample = oversample;
    b.targetRecall = targetRecall;
    b.rerank = rerank;
    b.from = from;
    b.size = size;
    b.facets = facets;
    return b;
  }

  /** True if the request has a vector part. */
  public boolean hasVectorPart() {
    return !vectorParts.isEmpty();
  }

  /** True if the request has a keyword part. */
  public boolean hasKeywordPart() {
    return keywords != null || keywordQuery != null;
  }

  /** The ids of the documents to find more like (positive examples). */
  public List<String> likeIds() {
    List<String> ids = new ArrayList<>();
    for (VectorPart part : vectorParts) {
      if (part instanceof VectorPart.Like like) {
        ids.add(like.id());
      }
    }
    return ids;
  }

  /**
   * The ids of every document given as an example, positive or negative; they are excluded from the
   * results.
   */
  public List<String> exampleIds() {
    List<String> ids = new ArrayList<>();
    for (VectorPart part : vectorParts) {
      VectorPart example = part instanceof VectorPart.Negative n ? n.example() : part;
      if (example instanceof VectorPart.Like like) {
        ids.add(like.id());
      }
    }
    return ids;
  }

  /** How a keyword and a vector list fuse ({@link RankingStages#fusion()}). */
  public Fusion fusion() {
    return ranking.fusion();
  }

  /** The vector fields searched, with their weights ({@link RankingStages#targets()}). */
  public List<VectorTarget> targets() {
    return ranking.targets();
  }

  /**
   * The depth the lists are retrieved to: {@link #depth()} with {@code k} (and explicit {@code
   * numCandidates}) raised to {@link RankingStages#listDepth} (the diversity stages' candidates),
   * so HNSW fetches candidates for that depth.
   */
  public SearchDepth retrievalDepth() {
    SearchDepth d = depth();
    int listDepth = ranking.listDepth(d.window());
    if (listDepth == d.window()) {
      return d;
    }
    int deeperK = Math.max(k, listDepth);
    // Explicit candidates stay explicit, and at least the deeper list.
    return new SearchDepth(
        deeperK,
        from,
        size,
        numCandidates == 0 ? 0 : Math.max(numCandidates, deeperK),
        oversample,
        targetRecall);
  }

  /** The window and candidate arithmetic of this request, shared with the Solr plugin. */
  public SearchDepth depth() {
    return depth(k, from, size, numCandidates, oversample, targetRecall);
  }

  private static SearchDepth depth(
      int k, int from, int size, int numCandidates, float oversample, double targetRecall) {
    return new SearchDepth(k, from, size, numCandidates, oversample, targetRecall);
  }

  /** How deep each list is read: {@code max(k, from + size)} ({@link SearchDepth#window()}). */
  public int window() {
    return depth().window();
  }

  /**
   * How many nearest neighbours HNSW returns without a calibration ({@link
   * SearchDepth#candidateCount()}): the explicit count or oversample, else the default oversample.
   * A searcher decides the real count per reader with its calibration.
   */
  public int candidateCount() {
    return depth().candidateCount();
  }

  /** Collects request settings. Not thread-safe. Arguments are copied; nothing is shared. */
  public static final class Builder {
    private final List<VectorPart> vectorParts = new ArrayList<>();
    private String keywords;
    private Query keywordQuery;
    private final Set<String> classes = new LinkedHashSet<>();
    private Query filter;
    private final List<VectorTarget> targets = new ArrayList<>();
    private TargetJoin join = new TargetJoin.Mean();
    private ScoreCutoff keywordCutoff = ScoreCutoff.NONE;
    private ScoreCutoff vectorCutoff = ScoreCutoff.NONE;
    private Diversity diversity = Diversity.NONE;
    private int k = 10;
    private int numCandidates;
    private float oversample;
    private double targetRecall = SearchDepth.DEFAULT_TARGET_RECALL;
    private boolean rerank = true;
    private Fusion fusion = Fusion.rrf();
    private int from;
    private int size = 10;
    private boolean facets = true;

    private Builder() {}

    /**
     * Whether a text part was added so far, positive or negative ({@link VectorPart.Text}): front
     * ends choose their default vector targets by it.
     */
    public boolean hasTextPart() {
      for (VectorPart part : vectorParts) {
        VectorPart p = part instanceof VectorPart.Negative n ? n.example() : part;
        if (p instanceof VectorPart.Text) {
          return true;
        }
      }
      return false;
    }

    /** Adds a vector part. */
    public Builder vectorPart(VectorPart part) {
      vectorParts.add(Objects.requireNonNull(part, "part"));
      return this;
    }

    /**
     * Adds query text (weight 1), embedded by the searcher's encoder; {@code null} adds nothing.
     */
    public Builder text(String text) {
      return text(text, 1f);
    }

    /** Adds query text with a mixing weight; {@code null} adds nothing. */
    public Builder text(String text, float weight) {
      return text == null ? this : vectorPart(new VectorPart.Text(text, weight));
    }

    /** Adds the bytes of a query image file (weight 1); {@code null} adds nothing. */
    public Builder image(byte[] imageBytes) {
      return image(imageBytes, 1f);
    }

    /** Adds the bytes of a query image file with a mixing weight; {@code null} adds nothing. */
    public Builder image(byte[] imageBytes, float weight) {
      return imageBytes == null ? this : vectorPart(new VectorPart.Image(imageBytes, weight));
    }

    /** Adds a raw query vector (weight 1); {@code null} adds nothing. */
    public Builder vector(float[] vector) {
      return vector(vector, 1f);
    }

    /** Adds a raw query vector with a mixing weight; {@code null} adds nothing. */
    public Builder vector(float[] vector, float weight) {
      return vector == null ? this : vectorPart(new VectorPart.Raw(vector, weight));
    }

    /** Adds "more like the indexed document with this id" (weight 1); {@code null} adds nothing. */
    public Builder likeId(String id) {
      return likeId(id, 1f);
    }

    /** Adds "more like this document" with a mixing weight; {@code null} adds nothing. */
    public Builder likeId(String id, float weight) {
      return id == null ? this : vectorPart(new VectorPart.Like(id, weight));
    }

    /**
     * Adds a negative example ({@link VectorPart.Negative}): the query vector moves away from it.
     */
    public Builder negative(VectorPart example) {
      return vectorPart(new VectorPart.Negative(example));
    }

    /** Adds "less like this document" with a weight; {@code null} adds nothing. */
    public Builder unlikeId(String id, float weight) {
      return id == null ? this : negative(new VectorPart.Like(id, weight));
    }

    /** Adds "less like this text" with a weight; {@code null} adds nothing. */
    public Builder unlikeText(String text, float weight) {
      return text == null ? this : negative(new VectorPart.Text(text, weight));
    }

    /** Adds "less like this image" (the bytes of an image file) with a weight. */
    public Builder unlikeImage(byte[] imageBytes, float weight) {
      return imageBytes == null ? this : negative(new VectorPart.Image(imageBytes, weight));
    }

    /**
     * Adds free keywords (BM25 over {@code caption} and {@code keywords}); several calls are joined
     * by a space. {@code null} adds nothing.
     */
    public Builder keywords(String keywords) {
      if (keywords != null) {
        this.keywords = this.keywords == null ? keywords : this.keywords + " " + keywords;
      }
      return this;
    }

    /** A Lucene query scored as (part of) the keyword list; replaces an earlier one. */
    public Builder keywordQuery(Query query) {
      this.keywordQuery = query;
      return this;
    }

    /** Accept only documents whose class is one of these values (adds to earlier calls). */
    public Builder classes(String... classValues) {
      return classes(List.of(classValues));
    }

    /** Accept only documents whose class is one of these values (adds to earlier calls). */
    public Builder classes(Iterable<String> classValues) {
      for (String c : classValues) {
        classes.add(Objects.requireNonNull(c, "class value"));
      }
      return this;
    }

    /** Accept only documents matching this query (AND-ed with earlier filters). */
    public Builder filter(Query filter) {
      Objects.requireNonNull(filter, "filter");
      this.filter =
          this.filter == null
              ? filter
              : new BooleanQuery.Builder()
                  .add(this.filter, Occur.FILTER)
                  .add(filter, Occur.FILTER)
                  .build();
      return this;
    }

    /** Searches this one vector field (replacing any targets); default {@code image_vec}. */
    public Builder vectorField(String field) {
      targets.clear();
      targets.add(VectorTarget.of(field));
      return this;
    }

    /** Searches these vector fields with their weights (replacing earlier targets). */
    public Builder targets(List<VectorTarget> targets) {
      this.targets.clear();
      this.targets.addAll(targets);
      return this;
    }

    /** How several targets join into one vector list; default {@link TargetJoin.Mean}. */
    public Builder targetJoin(TargetJoin join) {
      this.join = Objects.requireNonNull(join, "join");
      return this;
    }

    /** The vector list's minimum similarity score, before fusion ({@code NaN}: none). */
    public Builder minScore(float minScore) {
      vectorCutoff = vectorCutoff.withMinScore(minScore);
      return this;
    }

    /** The keyword list's minimum BM25 score, before fusion ({@code NaN}: none). */
    public Builder keywordMinScore(float minScore) {
      keywordCutoff = keywordCutoff.withMinScore(minScore);
      return this;
    }

    /** Autocut of every list at its n-th score jump, before fusion (0: none). */
    public Builder autocut(int jumps) {
      keywordCutoff = keywordCutoff.withAutocut(jumps);
      vectorCutoff = vectorCutoff.withAutocut(jumps);
      return this;
    }

    /** The keyword list's cut-off. */
    public Builder keywordCutoff(ScoreCutoff cutoff) {
      this.keywordCutoff = Objects.requireNonNull(cutoff, "cutoff");
      return this;
    }

    /** The vector list's cut-off. */
    public Builder vectorCutoff(ScoreCutoff cutoff) {
      this.vectorCutoff = Objects.requireNonNull(cutoff, "cutoff");
      return this;
    }

    /** Near-duplicate collapse and MMR (default none). */
    public Builder diversity(Diversity diversity) {
      this.diversity = Objects.requireNonNull(diversity, "diversity");
      return this;
    }

    /** Result window of each list (default 10; raised to {@code from + size} if smaller). */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    /** HNSW candidates to fetch (an expert override of the target recall); 0 (default): not set. */
    public Builder numCandidates(int numCandidates) {
      this.numCandidates = numCandidates;
      return this;
    }

    /**
     * Fetch {@code ceil(window · oversample)} candidates before exact re-rank (an expert override
     * of the target recall); 0 (default): not set. 1 fetches exactly the window.
     */
    public Builder oversample(float oversample) {
      this.oversample = oversample;
      return this;
    }

    /**
     * The recall@window to reach (default {@link SearchDepth#DEFAULT_TARGET_RECALL}): the searcher
     * fetches as many candidates as the index's calibration says it needs. Ignored if {@link
     * #numCandidates} or {@link #oversample} is set.
     */
    public Builder targetRecall(double targetRecall) {
      this.targetRecall = targetRecall;
      return this;
    }

    /** Re-rank HNSW candidates by exact full-precision scores (default true). */
    public Builder rerank(boolean rerank) {
      this.rerank = rerank;
      return this;
    }

    /** How keyword and vector lists are merged; default {@link Fusion#rrf()}. */
    public Builder fusion(Fusion fusion) {
      this.fusion = Objects.requireNonNull(fusion, "fusion");
      return this;
    }

    /** 0-based offset of the first returned hit (default 0). */
    public Builder from(int from) {
      this.from = from;
      return this;
    }

    /** Number of hits to return (default 10). */
    public Builder size(int size) {
      this.size = size;
      return this;
    }

    /** Compute class facet counts (default true). */
    public Builder facets(boolean facets) {
      this.facets = facets;
      return this;
    }

    /**
     * @throws InvalidRequestException if the request has nothing to search for or a setting is out
     *     of range
     */
    public SearchRequest build() {
      return new SearchRequest(
          vectorParts,
          keywords,
          keywordQuery,
          classes,
          filter,
          new RankingStages(
              targets.isEmpty() ? List.of(VectorTarget.of(ImageSchema.IMAGE_VECTOR)) : targets,
              join,
              keywordCutoff,
              vectorCutoff,
              fusion,
              diversity),
          k,
          numCandidates,
          oversample,
          targetRecall,
          rerank,
          from,
          size,
          facets);
    }
  }
}
