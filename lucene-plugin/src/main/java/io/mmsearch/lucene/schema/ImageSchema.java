package io.mmsearch.lucene.schema;

import io.mmsearch.manifest.ImageFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The field layout of an mmsearch index and the mapping from {@link ImageDocument} to a Lucene
 * {@link Document}.
 *
 * <ul>
 *   <li>{@code id}: StringField, stored; the unique key.
 *   <li>{@code uri}, {@code content_hash}, {@code mime}: StringField, stored (exact match).
 *   <li>{@code caption}: TextField, stored, English analysis (stemming, stop words), scored BM25.
 *   <li>{@code keywords}: TextField, stored, English analysis; one value per keyword.
 *   <li>{@code class}, {@code subclass}: StringField, stored, plus a sorted-set doc values facet
 *       dimension of the same name.
 *   <li>{@code width}, {@code height}: IntPoint (range filters) plus stored value.
 *   <li>{@code image_vec} (required), {@code caption_vec} (optional): KnnFloatVectorField, dot
 *       product on unit vectors.
 * </ul>
 *
 * <p>English analysis was chosen for the text fields because captions are English sentences: "cars"
 * must match "car". Exact fields use the keyword analyzer so a query parser sees them verbatim.
 */
public final class ImageSchema {
  // The text fields are named by the manifest mapping that every indexing path shares.
  public static final String ID = ImageFields.ID;
  public static final String URI = ImageFields.URI;
  public static final String CAPTION = ImageFields.CAPTION;
  public static final String KEYWORDS = ImageFields.KEYWORDS;
  public static final String CLASS = ImageFields.CLASS;
  public static final String SUBCLASS = ImageFields.SUBCLASS;
  public static final String IMAGE_VECTOR = "image_vec";
  public static final String CAPTION_VECTOR = "caption_vec";

  /** The vector fields a search may target, in this order. */
  public static final List<String> VECTOR_FIELDS = List.of(IMAGE_VECTOR, CAPTION_VECTOR);

  public static final String CONTENT_HASH = "content_hash";
  public static final String WIDTH = "width";
  public static final String HEIGHT = "height";
  public static final String MIME = "mime";

  /** The similarity of both vector fields: dot product, valid because vectors are unit length. */
  public static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  /** Fields matched exactly (not analysed). */
  public static final Set<String> EXACT_FIELDS =
      Set.of(ID, URI, CLASS, SUBCLASS, CONTENT_HASH, MIME);

  /** Integer point fields. */
  public static final Set<String> INT_FIELDS = Set.of(WIDTH, HEIGHT);

  /** Analysed text fields searched by keyword queries. */
  public static final Set<String> TEXT_FIELDS = Set.of(CAPTION, KEYWORDS);

  private static final FacetsConfig FACETS_CONFIG = newFacetsConfig();

  private ImageSchema() {}

  /**
   * The analyzer for indexing and query parsing: English for text fields, keyword for the exact
   * fields. A new instance per call; the caller closes it.
   */
  public static Analyzer newAnalyzer() {
    KeywordAnalyzer keyword = new KeywordAnalyzer();
    Map<String, Analyzer> perField =
        Map.of(
            ID, keyword,
            URI, keyword,
            CLASS, keyword,
            SUBCLASS, keyword,
            CONTENT_HASH, keyword,
            MIME, keyword);
    return new PerFieldAnalyzerWrapper(new EnglishAnalyzer(), perField);
  }

  /** The facets configuration: dimensions {@code class} and {@code subclass}, single-valued. */
  public static FacetsConfig facetsConfig() {
    return FACETS_CONFIG;
  }

  private static FacetsConfig newFacetsConfig() {
    // FacetsConfig is only read after construction, so one shared instance is safe.
    FacetsConfig config = new FacetsConfig();
    config.setMultiValued(CLASS, false);
    config.setMultiValued(SUBCLASS, false);
    return config;
  }

  /**
   * Maps a document to its Lucene form. Does not validate: see {@link DocumentValidator}.
   *
   * @throws UncheckedIOException never in practice (facet building is in memory)
   */
  public static Document toLuceneDocument(ImageDocument doc) {
    Document d = new Document();
    d.add(new StringField(ID, doc.id(), Field.Store.YES));
    doc.uri().ifPresent(v -> d.add(new StringField(URI, v, Field.Store.YES)));
    doc.caption().ifPresent(v -> d.add(new TextField(CAPTION, v, Field.Store.YES)));
    for (String keyword : doc.keywords()) {
      d.add(new TextField(KEYWORDS, keyword, Field.Store.YES));
    }
    doc.className()
        .ifPresent(
            v -> {
              d.add(new StringField(CLASS, v, Field.Store.YES));
              d.add(new SortedSetDocValuesFacetField(CLASS, v));
            });
    doc.subclass()
        .ifPresent(
            v -> {
              d.add(new StringField(SUBCLASS, v, Field.Store.YES));
              d.add(new SortedSetDocValuesFacetField(SUBCLASS, v));
            });
    d.add(new KnnFloatVectorField(IMAGE_VECTOR, doc.imageVectorUnsafe(), SIMILARITY));
    if (doc.captionVectorUnsafe() != null) {
      d.add(new KnnFloatVectorField(CAPTION_VECTOR, doc.captionVectorUnsafe(), SIMILARITY));
    }
    doc.contentHash().ifPresent(v -> d.add(new StringField(CONTENT_HASH, v, Field.Store.YES)));
    doc.width()
        .ifPresent(
            v -> {
              d.add(new IntPoint(WIDTH, v));
              d.add(new StoredField(WIDTH, v));
            });
    doc.height()
        .ifPresent(
            v -> {
              d.add(new IntPoint(HEIGHT, v));
              d.add(new StoredField(HEIGHT, v));
            });
    doc.mime().ifPresent(v -> d.add(new StringField(MIME, v, Field.Store.YES)));
    try {
      return FACETS_CONFIG.build(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
