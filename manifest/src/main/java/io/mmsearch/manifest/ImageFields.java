package io.mmsearch.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The text fields one image is indexed with, by field name: the one mapping from a manifest entry
 * to an index document, shared by every path that indexes images ({@code mmsearch index}, {@code
 * mmsearch eval --manifest}, the benchmarks, and the Solr plugin, which cannot see the Lucene 10
 * plugin). Free of Lucene: the Lucene 10 plugin builds its documents from it ({@code
 * ImageDocument.builder(ImageFields)}); the vectors, content hash, pixel size and media type come
 * from the image bytes, not from here.
 *
 * <table>
 *   <caption>Manifest column to index field</caption>
 *   <tr><th>manifest</th><th>field</th><th>value</th></tr>
 *   <tr><td>{@code id}</td><td>{@value #ID}</td><td>as given</td></tr>
 *   <tr><td>{@code image}</td><td>{@value #URI}</td><td>the resolved file as a {@code file:}
 *       URI</td></tr>
 *   <tr><td>{@code caption} (one or a list)</td><td>{@value #CAPTION}</td><td>every caption,
 *       joined by {@value #CAPTION_SEPARATOR}; absent when there is none</td></tr>
 *   <tr><td>{@code keywords}</td><td>{@value #KEYWORDS}</td><td>one value per keyword, in
 *       order</td></tr>
 *   <tr><td>{@code class}, {@code subclass}</td><td>{@value #CLASS}, {@value #SUBCLASS}</td>
 *       <td>as given; absent when blank</td></tr>
 *   <tr><td>other columns</td><td>(none)</td><td>not indexed</td></tr>
 * </table>
 *
 * @param id the document id, never blank
 * @param uri the image as a {@code file:} URI, or {@code null}
 * @param caption the captions joined by {@value #CAPTION_SEPARATOR}, or {@code null} when there is
 *     none
 * @param keywords the keywords, possibly empty, never null
 * @param className the class label, or {@code null}
 * @param subclass the subclass label, or {@code null}
 */
public record ImageFields(
    String id,
    String uri,
    String caption,
    List<String> keywords,
    String className,
    String subclass) {

  /** Field name of the unique document id. */
  public static final String ID = "id";

  /** Field name of the image location. */
  public static final String URI = "uri";

  /** Field name of the caption text. */
  public static final String CAPTION = "caption";

  /** Field name of the keywords, one value each. */
  public static final String KEYWORDS = "keywords";

  /** Field name of the class label. */
  public static final String CLASS = "class";

  /** Field name of the subclass label. */
  public static final String SUBCLASS = "subclass";

  /**
   * What joins several captions of one image into the one {@value #CAPTION} value. Every caption is
   * searched (BM25) and, when caption vectors are indexed, embedded together.
   */
  public static final String CAPTION_SEPARATOR = " | ";

  /** Blank optional values become {@code null}, so "absent" has one representation. */
  public ImageFields {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    uri = blankToNull(uri);
    caption = blankToNull(caption);
    keywords = List.copyOf(keywords);
    className = blankToNull(className);
    subclass = blankToNull(subclass);
  }

  /** The fields of a manifest entry, as the table above maps them. */
  public static ImageFields of(ManifestEntry entry) {
    return new ImageFields(
        entry.id(),
        entry.image().toUri().toString(),
        String.join(CAPTION_SEPARATOR, entry.captions()),
        entry.keywords(),
        entry.className(),
        entry.subclass());
  }

  /** The fields of an image known only by id and file (found in a folder, no manifest line). */
  public static ImageFields of(String id, Path image) {
    return new ImageFields(id, image.toUri().toString(), null, List.of(), null, null);
  }

  /** These fields with another id. */
  public ImageFields withId(String newId) {
    return new ImageFields(newId, uri, caption, keywords, className, subclass);
  }

  /** These fields with another uri. */
  public ImageFields withUri(String newUri) {
    return new ImageFields(id, newUri, caption, keywords, className, subclass);
  }

  /** These fields with another caption. */
  public ImageFields withCaption(String newCaption) {
    return new ImageFields(id, uri, newCaption, keywords, className, subclass);
  }

  /** These fields with other keywords. */
  public ImageFields withKeywords(List<String> newKeywords) {
    return new ImageFields(id, uri, caption, newKeywords, className, subclass);
  }

  /** These fields with another class. */
  public ImageFields withClassName(String newClassName) {
    return new ImageFields(id, uri, caption, keywords, newClassName, subclass);
  }

  /**
   * Every present field with its values, by field name in table order: what a front end that builds
   * documents by name (Solr's {@code SolrInputDocument}) adds. Absent fields are left out.
   */
  public Map<String, List<String>> values() {
    Map<String, List<String>> values = new LinkedHashMap<>();
    values.put(ID, List.of(id));
    put(values, URI, uri);
    put(values, CAPTION, caption);
    if (!keywords.isEmpty()) {
      values.put(KEYWORDS, new ArrayList<>(keywords));
    }
    put(values, CLASS, className);
    put(values, SUBCLASS, subclass);
    return values;
  }

  private static void put(Map<String, List<String>> values, String field, String value) {
    if (value != null) {
      values.put(field, List.of(value));
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
