package io.mmsearch.lucene.search;

import io.mmsearch.lucene.schema.ImageSchema;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;

/**
 * Everything one search asks for. Immutable; build with {@link #builder()}.
 *
 * <h2>Vector part</h2>
 *
 * Any of: query {@linkplain Builder#text text} (text encoder), {@linkplain Builder#image image
 * bytes} (image encoder), a raw {@linkplain Builder#vector vector}, or {@linkplain Builder#likeId
 * the stored vector of an indexed document} (more like this; that document is excluded from the
 * results). Several sources are mixed as {@code Σ weight_i · v_i} and re-normalised to unit length.
 *
 * <p>The HNSW search fetches {@link #candidateCount()} = {@code max(numCandidates, ceil(window ·
 * oversample))} nearest neighbours with the filter applied inside the graph search; with re-rank on
 * (the default) their full-precision vectors are scored exactly and the best {@link #window()} are
 * kept, otherwise the best {@code window} by approximate score.
 *
 * <h2>Keyword part</h2>
 *
 * {@linkplain Builder#keywords Keywords} (analysed, BM25 over {@code caption} and {@code keywords},
 * any term may match) and/or any Lucene {@linkplain Builder#keywordQuery keyword query}; the best
 * {@link #window()} filtered matches form the keyword list.
 *
 * <h2>Filter, fusion, pagination</h2>
 *
 * Filters ({@linkplain Builder#classes class values}, any Lucene {@linkplain Builder#filter query})
 * restrict both lists. With both parts present, the lists are fused by {@link #fusion()}. Hits
 * {@code [from, from + size)} of the final list are returned; the window {@code max(k, from +
 * size)} bounds how deep each list is read, so for a fixed {@code k} pages are consistent slices of
 * one ranking.
 */
public final class MultimodalQuery {
  private final String text;
  private final float textWeight;
  private final byte[] image;
  private final float imageWeight;
  private final float[] vector;
  private final float vectorWeight;
  private final String likeId;
  private final float likeWeight;
  private final String keywords;
  private final Query keywordQuery;
  private final Set<String> classes;
  private final Query filter;
  private final String vectorField;
  private final int k;
  private final int numCandidates;
  private final float oversample;
  private final boolean rerank;
  private final Fusion fusion;
  private final int from;
  private final int size;
  private final boolean facets;

  private MultimodalQuery(Builder b) {
    this.text = b.text;
    this.textWeight = b.textWeight;
    this.image = b.image == null ? null : b.image.clone();
    this.imageWeight = b.imageWeight;
    this.vector = b.vector == null ? null : b.vector.clone();
    this.vectorWeight = b.vectorWeight;
    this.likeId = b.likeId;
    this.likeWeight = b.likeWeight;
    this.keywords = b.keywords;
    this.keywordQuery = b.keywordQuery;
    this.classes = Set.copyOf(b.classes);
    this.filter = b.filter;
    this.vectorField = b.vectorField;
    this.k = b.k;
    this.numCandidates = b.numCandidates;
    this.oversample = b.oversample;
    this.rerank = b.rerank;
    this.fusion = b.fusion;
    this.from = b.from;
    this.size = b.size;
    this.facets = b.facets;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with this query's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.text = text;
    b.textWeight = textWeight;
    b.image = image;
    b.imageWeight = imageWeight;
    b.vector = vector;
    b.vectorWeight = vectorWeight;
    b.likeId = likeId;
    b.likeWeight = likeWeight;
    b.keywords = keywords;
    b.keywordQuery = keywordQuery;
    b.classes = new LinkedHashSet<>(classes);
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

  public Optional<String> text() {
    return Optional.ofNullable(text);
  }

  public float textWeight() {
    return textWeight;
  }

  /** A copy of the query image bytes, if any. */
  public Optional<byte[]> image() {
    return Optional.ofNullable(image == null ? null : image.clone());
  }

  public float imageWeight() {
    return imageWeight;
  }

  /** A copy of the raw query vector, if any. */
  public Optional<float[]> vector() {
    return Optional.ofNullable(vector == null ? null : vector.clone());
  }

  public float vectorWeight() {
    return vectorWeight;
  }

  public Optional<String> likeId() {
    return Optional.ofNullable(likeId);
  }

  public float likeWeight() {
    return likeWeight;
  }

  public Optional<String> keywords() {
    return Optional.ofNullable(keywords);
  }

  public Optional<Query> keywordQuery() {
    return Optional.ofNullable(keywordQuery);
  }

  /** Accepted class values (empty: no class filter). */
  public Set<String> classes() {
    return classes;
  }

  public Optional<Query> filter() {
    return Optional.ofNullable(filter);
  }

  /** The vector field searched, {@code image_vec} by default. */
  public String vectorField() {
    return vectorField;
  }

  public int k() {
    return k;
  }

  /** The explicit number of HNSW candidates, or 0 if derived from k and oversample. */
  public int numCandidates() {
    return numCandidates;
  }

  public float oversample() {
    return oversample;
  }

  public boolean rerank() {
    return rerank;
  }

  public Fusion fusion() {
    return fusion;
  }

  public int from() {
    return from;
  }

  public int size() {
    return size;
  }

  public boolean facets() {
    return facets;
  }

  /** True if the query has a vector part. */
  public boolean hasVectorPart() {
    return text != null || image != null || vector != null || likeId != null;
  }

  /** True if the query has a keyword part. */
  public boolean hasKeywordPart() {
    return keywords != null || keywordQuery != null;
  }

  /** How deep each list is read: {@code max(k, from + size)}. */
  public int window() {
    return Math.max(k, from + size);
  }

  /**
   * How many nearest neighbours HNSW returns: {@code max(numCandidates, ceil(window·oversample))}.
   */
  public int candidateCount() {
    return Math.max(numCandidates, (int) Math.ceil(window() * (double) oversample));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MultimodalQuery[");
    if (text != null) sb.append("text='").append(text).append("'^").append(textWeight).append(' ');
    if (image != null)
      sb.append("image=").append(image.length).append("B^").append(imageWeight).append(' ');
    if (vector != null)
      sb.append("vector=").append(vector.length).append("d^").append(vectorWeight).append(' ');
    if (likeId != null)
      sb.append("like=").append(likeId).append('^').append(likeWeight).append(' ');
    if (keywords != null) sb.append("keywords='").append(keywords).append("' ");
    if (keywordQuery != null) sb.append("keywordQuery=").append(keywordQuery).append(' ');
    if (!classes.isEmpty()) sb.append("classes=").append(classes).append(' ');
    if (filter != null) sb.append("filter=").append(filter).append(' ');
    return sb.append("k=")
        .append(k)
        .append(" candidates=")
        .append(candidateCount())
        .append(" rerank=")
        .append(rerank)
        .append(" fusion=")
        .append(fusion)
        .append(" from=")
        .append(from)
        .append(" size=")
        .append(size)
        .append(']')
        .toString();
  }

  /** Collects query settings. Not thread-safe. */
  public static final class Builder {
    private String text;
    private float textWeight = 1f;
    private byte[] image;
    private float imageWeight = 1f;
    private float[] vector;
    private float vectorWeight = 1f;
    private String likeId;
    private float likeWeight = 1f;
    private String keywords;
    private Query keywordQuery;
    private Set<String> classes = new LinkedHashSet<>();
    private Query filter;
    private String vectorField = ImageSchema.IMAGE_VECTOR;
    private int k = 10;
    private int numCandidates = 0;
    private float oversample = 1f;
    private boolean rerank = true;
    private Fusion fusion = Fusion.rrf();
    private int from = 0;
    private int size = 10;
    private boolean facets = true;

    private Builder() {}

    /** Query text, embedded by the searcher's query encoder. */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /** Query text with a mixing weight. */
    public Builder text(String text, float weight) {
      this.textWeight = weight;
      return text(text);
    }

    /** Bytes of a query image file, embedded by the searcher's query encoder. Copied on build. */
    public Builder image(byte[] imageBytes) {
      this.image = imageBytes;
      return this;
    }

    public Builder image(byte[] imageBytes, float weight) {
      this.imageWeight = weight;
      return image(imageBytes);
    }

    /** A raw query vector (unit length, model dimension). Copied on build. */
    public Builder vector(float[] vector) {
      this.vector = vector;
      return this;
    }

    public Builder vector(float[] vector, float weight) {
      this.vectorWeight = weight;
      return vector(vector);
    }

    /** More like the indexed document with this id (by its stored vector). */
    public Builder likeId(String id) {
      this.likeId = id;
      return this;
    }

    public Builder likeId(String id, float weight) {
      this.likeWeight = weight;
      return likeId(id);
    }

    /** Free keywords, analysed and scored BM25 over {@code caption} and {@code keywords}. */
    public Builder keywords(String keywords) {
      this.keywords = keywords;
      return this;
    }

    /** Any Lucene query scored as the keyword list (combined with {@link #keywords} by OR). */
    public Builder keywordQuery(Query query) {
      this.keywordQuery = query;
      return this;
    }

    /** Accept only documents whose class is one of these values (adds to earlier calls). */
    public Builder classes(String... classValues) {
      return classes(List.of(classValues));
    }

    public Builder classes(Iterable<String> classValues) {
      for (String c : classValues) {
        classes.add(Objects.requireNonNull(c, "class value"));
      }
      return this;
    }

    /** Accept only documents matching this query (AND-ed with earlier filters). */
    public Builder filter(Query filter) {
      Objects.requireNonNull(filter, "filter");
      if (this.filter == null) {
        this.filter = filter;
      } else {
        this.filter =
            new BooleanQuery.Builder()
                .add(this.filter, BooleanClause.Occur.FILTER)
                .add(filter, BooleanClause.Occur.FILTER)
                .build();
      }
      return this;
    }

    /** Vector field to search; default {@code image_vec}. */
    public Builder vectorField(String field) {
      this.vectorField = Objects.requireNonNull(field);
      return this;
    }

    /** Result window of each list (default 10; raised to {@code from + size} if smaller). */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    /** HNSW candidates to fetch; 0 (default) derives it from k and oversample. */
    public Builder numCandidates(int numCandidates) {
      this.numCandidates = numCandidates;
      return this;
    }

    /** Fetch {@code ceil(window · oversample)} candidates before exact re-rank; default 1, >= 1. */
    public Builder oversample(float oversample) {
      this.oversample = oversample;
      return this;
    }

    /** Re-rank HNSW candidates by exact full-precision scores (default true). */
    public Builder rerank(boolean rerank) {
      this.rerank = rerank;
      return this;
    }

    public Builder fusion(Fusion fusion) {
      this.fusion = Objects.requireNonNull(fusion);
      return this;
    }

    /** 0-based offset of the first returned hit. */
    public Builder from(int from) {
      this.from = from;
      return this;
    }

    /** Number of hits to return. */
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
     * @throws InvalidRequestException if the query has neither a vector nor a keyword part, or a
     *     number is out of range (message names the setting)
     */
    public MultimodalQuery build() {
      if (text == null
          && image == null
          && vector == null
          && likeId == null
          && keywords == null
          && keywordQuery == null) {
        throw new InvalidRequestException(
            "query has nothing to search for: give text, image, vector, likeId or keywords");
      }
      if (text != null && text.isBlank()) {
        throw new InvalidRequestException("query text is blank");
      }
      if (keywords != null && keywords.isBlank()) {
        throw new InvalidRequestException("keywords are blank");
      }
      checkWeight("textWeight", textWeight);
      checkWeight("imageWeight", imageWeight);
      checkWeight("vectorWeight", vectorWeight);
      checkWeight("likeWeight", likeWeight);
      if (k < 1) throw new InvalidRequestException("k must be >= 1, got " + k);
      if (numCandidates < 0) {
        throw new InvalidRequestException("numCandidates must be >= 0, got " + numCandidates);
      }
      if (numCandidates > 0 && numCandidates < k) {
        throw new InvalidRequestException(
            "numCandidates (" + numCandidates + ") must be >= k (" + k + ")");
      }
      if (!(oversample >= 1f) || Float.isInfinite(oversample)) {
        throw new InvalidRequestException("oversample must be >= 1, got " + oversample);
      }
      if (from < 0) throw new InvalidRequestException("from must be >= 0, got " + from);
      if (size < 1) throw new InvalidRequestException("size must be >= 1, got " + size);
      return new MultimodalQuery(this);
    }

    private static void checkWeight(String name, float w) {
      if (!(w >= 0) || Float.isInfinite(w)) {
        throw new InvalidRequestException(name + " must be finite and >= 0, got " + w);
      }
    }
  }
}
