package io.mmsearch.tools.search;

import io.mmsearch.lucene.parser.MultimodalQueryParser;
import io.mmsearch.lucene.search.Fusion;
import io.mmsearch.lucene.search.InvalidRequestException;
import io.mmsearch.lucene.search.MultimodalQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.queryparser.classic.ParseException;

/**
 * A search as a user states it: free text with a {@link SearchMode}, a query image, a document to
 * find more like, keywords, a query in the parser syntax ({@code near:}, {@code like:}, fields),
 * filters, fusion and paging. Immutable; build with {@link #builder()}.
 *
 * <p>{@link #toQuery} maps it onto one {@link MultimodalQuery}: every given part is combined
 * (vector sources are mixed, keyword parts fused with the vector part), so {@code text + image}
 * searches for images like both.
 */
public final class SearchRequest {
  /** Fusion of keyword and vector lists. */
  public enum FusionKind {
    RRF,
    LINEAR
  }

  private final String text;
  private final SearchMode mode;
  private final byte[] image;
  private final String likeId;
  private final String keywords;
  private final String query;
  private final String filter;
  private final List<String> classes;
  private final FusionKind fusion;
  private final int k;
  private final int from;

  private SearchRequest(Builder b) {
    this.text = blankToNull(b.text);
    this.mode = b.mode;
    this.image = b.image;
    this.likeId = blankToNull(b.likeId);
    this.keywords = blankToNull(b.keywords);
    this.query = blankToNull(b.query);
    this.filter = blankToNull(b.filter);
    this.classes = List.copyOf(b.classes);
    this.fusion = b.fusion;
    this.k = b.k;
    this.from = b.from;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int k() {
    return k;
  }

  public int from() {
    return from;
  }

  /**
   * The query for the searcher.
   *
   * @param parser parses {@link Builder#query} and {@link Builder#filter}; not thread-safe, so one
   *     per call or per thread
   * @throws IllegalArgumentException naming the problem if the request has nothing to search for, a
   *     number is out of range, or the query or filter does not parse (with its column)
   */
  public MultimodalQuery toQuery(MultimodalQueryParser parser) {
    MultimodalQuery.Builder b =
        query != null ? parser.parseMultimodal(query) : MultimodalQuery.builder();
    if (text != null) {
      if (mode != SearchMode.KEYWORD) {
        b.text(text);
      }
      if (mode != SearchMode.VECTOR) {
        b.keywords(keywords != null ? text + " " + keywords : text);
      }
    }
    if (keywords != null && (text == null || mode == SearchMode.VECTOR)) {
      b.keywords(keywords);
    }
    if (image != null) {
      b.image(image);
    }
    if (likeId != null) {
      b.likeId(likeId);
    }
    if (filter != null) {
      try {
        b.filter(parser.parse(filter));
      } catch (ParseException e) {
        throw new InvalidRequestException("invalid filter '" + filter + "': " + e.getMessage(), e);
      }
    }
    if (!classes.isEmpty()) {
      b.classes(classes);
    }
    b.fusion(fusion == FusionKind.LINEAR ? Fusion.linear(1f, 1f) : Fusion.rrf());
    b.k(Math.max(k, 1)).from(from).size(Math.max(k, 1)).facets(true);
    return b.build();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** Collects a request. Not thread-safe. */
  public static final class Builder {
    private String text;
    private SearchMode mode = SearchMode.VECTOR;
    private byte[] image;
    private String likeId;
    private String keywords;
    private String query;
    private String filter;
    private final List<String> classes = new ArrayList<>();
    private FusionKind fusion = FusionKind.RRF;
    private int k = 10;
    private int from;

    private Builder() {}

    /** Free text, searched as {@link #mode} says. */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /** How {@link #text} is searched; default {@link SearchMode#VECTOR}. */
    public Builder mode(SearchMode mode) {
      this.mode = Objects.requireNonNull(mode);
      return this;
    }

    /** The bytes of a query image file. */
    public Builder image(byte[] image) {
      this.image = image;
      return this;
    }

    /** The id of an indexed document to find more like. */
    public Builder likeId(String likeId) {
      this.likeId = likeId;
      return this;
    }

    /** Keywords for BM25 over captions and keywords. */
    public Builder keywords(String keywords) {
      this.keywords = keywords;
      return this;
    }

    /** A query in {@link MultimodalQueryParser}'s syntax. */
    public Builder query(String query) {
      this.query = query;
      return this;
    }

    /** A filter in the parser's syntax, e.g. {@code class:animals AND width:[0 TO 64]}. */
    public Builder filter(String filter) {
      this.filter = filter;
      return this;
    }

    /** Restrict to these classes (any of them). */
    public Builder classes(List<String> classes) {
      classes.stream().filter(c -> c != null && !c.isBlank()).forEach(this.classes::add);
      return this;
    }

    public Builder fusion(FusionKind fusion) {
      this.fusion = Objects.requireNonNull(fusion);
      return this;
    }

    /** Number of hits; default 10. */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    /** Offset of the first hit; default 0. */
    public Builder from(int from) {
      this.from = from;
      return this;
    }

    public SearchRequest build() {
      return new SearchRequest(this);
    }
  }
}
