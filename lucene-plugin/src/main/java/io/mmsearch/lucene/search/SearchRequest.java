package io.mmsearch.lucene.search;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.SearchDepth;
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
 * like. They are mixed into one unit vector by {@link QueryVectorMixer} (each part unit-normalised,
 * weighted, summed, the sum normalised). HNSW fetches {@link #candidateCount()} = {@code
 * max(numCandidates, ceil(window · oversample))} nearest neighbours with the filter applied inside
 * the graph search; with {@link #rerank()} (the default) they are re-ranked by the exact score of
 * their full-precision vectors and the best {@link #window()} kept. The default oversample is
 * {@link VectorFieldConfig#DEFAULT_OVERSAMPLE} (4): on the default int8 index, {@code ./mmsearch
 * bench ann} measured recall@10 0.951 with 1 candidate per hit and 0.996-0.999 with 4
 * (docs/benchmarks.md, "Tuning sweep on real-image").
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
 * Lucene query) restrict both lists; a document found more like is excluded from its own results.
 * With both parts the lists are fused by {@link #fusion()}. Hits {@code [from, from + size)} of the
 * final list are returned; {@link #window()} {@code = max(k, from + size)} bounds how deep each
 * list is read, so for a fixed {@code k} pages are consecutive slices of one ranking. With {@link
 * #facets()} the class counts are computed drill-sideways (see {@link SearchResults}).
 *
 * @param vectorParts the sources of the query vector, in order (empty: no vector part)
 * @param keywords free keywords, or {@code null}
 * @param keywordQuery a Lucene query scored as part of the keyword list, or {@code null}
 * @param classes accepted class values (empty: no class filter); iteration in insertion order
 * @param filter a Lucene filter query, or {@code null}
 * @param vectorField the vector field searched, {@code image_vec} by default
 * @param k the result window of each list (at least 1)
 * @param numCandidates HNSW candidates to fetch, or 0 to derive them from the window and oversample
 * @param oversample candidates per window slot before re-ranking (at least 1)
 * @param rerank whether HNSW candidates are re-ranked exactly
 * @param fusion how a keyword and a vector list are merged
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
    String vectorField,
    int k,
    int numCandidates,
    float oversample,
    boolean rerank,
    Fusion fusion,
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
    Objects.requireNonNull(vectorField, "vectorField");
    Objects.requireNonNull(fusion, "fusion");
    if (vectorParts.isEmpty() && keywords == null && keywordQuery == null) {
      throw new InvalidRequestException(
          "the request has nothing to search for: give text, an image, a vector, a document to"
              + " find more like, or keywords");
    }
    for (VectorPart part : vectorParts) {
      if (part instanceof VectorPart.Text t && t.text().isBlank()) {
        throw new InvalidRequestException("query text is blank");
      }
      if (part instanceof VectorPart.Like l && l.id().isBlank()) {
        throw new InvalidRequestException("the id of the document to find more like is blank");
      }
    }
    if (keywords != null && keywords.isBlank()) {
      throw new InvalidRequestException("keywords are blank");
    }
    depth(k, from, size, numCandidates, oversample); // validates the numbers
  }

  /**
   * A builder with the defaults: k 10, size 10, oversample {@link
   * VectorFieldConfig#DEFAULT_OVERSAMPLE}, re-rank on, RRF, facets on.
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
    b.vectorField = vectorField;
    b.k = k;
    b.numCandidates = numCandidates;
    b.oversample = oversample;
    b.rerank = rerank;
    b.fusion = fusion;
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

  /** The ids of the documents to find more like; they are excluded from the results. */
  public List<String> likeIds() {
    List<String> ids = new ArrayList<>();
    for (VectorPart part : vectorParts) {
      if (part instanceof VectorPart.Like like) {
        ids.add(like.id());
      }
    }
    return ids;
  }

  /** The window and candidate arithmetic of this request, shared with the Solr plugin. */
  public SearchDepth depth() {
    return depth(k, from, size, numCandidates, oversample);
  }

  private static SearchDepth depth(int k, int from, int size, int numCandidates, float oversample) {
    return new SearchDepth(k, from, size, numCandidates, oversample);
  }

  /** How deep each list is read: {@code max(k, from + size)} ({@link SearchDepth#window()}). */
  public int window() {
    return depth().window();
  }

  /** How many nearest neighbours HNSW returns ({@link SearchDepth#candidateCount()}). */
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
    private String vectorField = ImageSchema.IMAGE_VECTOR;
    private int k = 10;
    private int numCandidates;
    private float oversample = VectorFieldConfig.DEFAULT_OVERSAMPLE;
    private boolean rerank = true;
    private Fusion fusion = Fusion.rrf();
    private int from;
    private int size = 10;
    private boolean facets = true;

    private Builder() {}

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

    /** Vector field to search; default {@code image_vec}. */
    public Builder vectorField(String field) {
      this.vectorField = Objects.requireNonNull(field, "field");
      return this;
    }

    /** Result window of each list (default 10; raised to {@code from + size} if smaller). */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    /** HNSW candidates to fetch; 0 (default) derives it from the window and oversample. */
    public Builder numCandidates(int numCandidates) {
      this.numCandidates = numCandidates;
      return this;
    }

    /**
     * Fetch {@code ceil(window · oversample)} candidates before exact re-rank; default {@link
     * VectorFieldConfig#DEFAULT_OVERSAMPLE}. 1 fetches exactly the window.
     */
    public Builder oversample(float oversample) {
      this.oversample = oversample;
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
          vectorField,
          k,
          numCandidates,
          oversample,
          rerank,
          fusion,
          from,
          size,
          facets);
    }
  }
}
