package io.mmsearch.lucene.schema;

import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.facet.taxonomy.FacetLabel;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.UnicodeUtil;

/**
 * Checks a whole {@link ImageDocument} against the limits of an mmsearch index before anything
 * reaches Lucene, so that a value Lucene would refuse (and, for some limits, refuse only after part
 * of the document was buffered) becomes a rejection naming the document, the field and the reason.
 *
 * <p>The limits, per field of {@link ImageSchema}:
 *
 * <ul>
 *   <li>exact fields ({@code id}, {@code uri}, {@code class}, {@code subclass}, {@code
 *       content_hash}, {@code mime}) are single terms: at most {@link #MAX_TERM_BYTES} bytes of
 *       UTF-8 ({@link IndexWriter#MAX_TERM_LENGTH}); the id must not be blank;
 *   <li>facet fields ({@code class}, {@code subclass}) also form a facet path {@code [dimension,
 *       value]} of at most {@link #MAX_FACET_PATH_CHARS} characters ({@link
 *       FacetLabel#MAX_CATEGORY_PATH_LENGTH}, dimension and separator included), and not empty;
 *   <li>stored text ({@code caption}, each keyword) is at most {@code maxStoredBytes} bytes of
 *       UTF-8 per value (default {@link #DEFAULT_MAX_STORED_BYTES}): every hit shown loads it, and
 *       a value that size is a file pasted into a column rather than a caption;
 *   <li>vectors: dimension, finiteness and unit length, by {@link VectorValidator}.
 * </ul>
 *
 * <p>Analysed text needs no term check: the English analyzer's tokenizer cuts tokens at 255
 * characters. Immutable and thread-safe.
 */
public final class DocumentValidator {
  /** Longest single term, in UTF-8 bytes: Lucene's {@link IndexWriter#MAX_TERM_LENGTH}. */
  public static final int MAX_TERM_BYTES = IndexWriter.MAX_TERM_LENGTH;

  /** Longest facet path {@code dimension + 1 + value}, in chars: the facet module's limit. */
  public static final int MAX_FACET_PATH_CHARS = FacetLabel.MAX_CATEGORY_PATH_LENGTH;

  /** Default longest stored text value (a caption, a keyword), in UTF-8 bytes: 64 KiB. */
  public static final int DEFAULT_MAX_STORED_BYTES = 64 * 1024;

  private static final int SHOWN_CHARS = 60;

  private final VectorValidator vectors;
  private final int maxStoredBytes;

  /**
   * @param vectors checks the vector fields
   * @param maxStoredBytes longest stored text value in UTF-8 bytes, in [1, {@link
   *     IndexWriter#MAX_STORED_STRING_LENGTH}]
   */
  public DocumentValidator(VectorValidator vectors, int maxStoredBytes) {
    this.vectors = Objects.requireNonNull(vectors, "vectors");
    if (maxStoredBytes < 1 || maxStoredBytes > IndexWriter.MAX_STORED_STRING_LENGTH) {
      throw new IllegalArgumentException(
          "maxStoredBytes must be in [1, "
              + IndexWriter.MAX_STORED_STRING_LENGTH
              + "], got "
              + maxStoredBytes);
    }
    this.maxStoredBytes = maxStoredBytes;
  }

  /** The vector checks this validator applies. */
  public VectorValidator vectorValidator() {
    return vectors;
  }

  /** Longest stored text value in UTF-8 bytes. */
  public int maxStoredBytes() {
    return maxStoredBytes;
  }

  /**
   * Validates every field of a document.
   *
   * @throws InvalidDocumentException naming the document, the first field that fails and why
   */
  public void validate(ImageDocument document) {
    String id = document.id();
    check(id, ImageSchema.ID, id);
    check(id, ImageSchema.URI, document.uri().orElse(null));
    check(id, ImageSchema.CAPTION, document.caption().orElse(null));
    for (String keyword : document.keywords()) {
      check(id, ImageSchema.KEYWORDS, keyword);
    }
    check(id, ImageSchema.CLASS, document.className().orElse(null));
    check(id, ImageSchema.SUBCLASS, document.subclass().orElse(null));
    check(id, ImageSchema.CONTENT_HASH, document.contentHash().orElse(null));
    check(id, ImageSchema.MIME, document.mime().orElse(null));
    vectors.validate(document);
  }

  private void check(String id, String field, String value) {
    Optional<String> reason = problem(field, value);
    if (reason.isPresent()) {
      throw new InvalidDocumentException(id, field, reason.get());
    }
  }

  /**
   * Why {@code value} cannot be indexed in {@code field}, or empty if it can (or {@code value} is
   * null, meaning the field is absent). For callers that check fields before they have a whole
   * document, such as an ingest pipeline that would otherwise decode an image for nothing.
   *
   * @param field a field name of {@link ImageSchema}; a vector field or an unknown name has no text
   *     limits
   */
  public Optional<String> problem(String field, String value) {
    if (value == null) {
      return Optional.empty();
    }
    if (field.equals(ImageSchema.ID) && value.isBlank()) {
      return Optional.of("id must not be blank");
    }
    if (ImageSchema.EXACT_FIELDS.contains(field)) {
      long bytes = UnicodeUtil.calcUTF16toUTF8Length(value, 0, value.length());
      if (bytes > MAX_TERM_BYTES) {
        return Optional.of(
            field
                + " is "
                + bytes
                + " bytes of UTF-8, over Lucene's term limit of "
                + MAX_TERM_BYTES
                + " ("
                + shown(value)
                + ")");
      }
    }
    if (field.equals(ImageSchema.CLASS) || field.equals(ImageSchema.SUBCLASS)) {
      if (value.isEmpty()) {
        return Optional.of(field + " must not be empty");
      }
      long pathChars = field.length() + 1L + value.length();
      if (pathChars > MAX_FACET_PATH_CHARS) {
        return Optional.of(
            field
                + " is "
                + value.length()
                + " characters, over the facet path limit of "
                + (MAX_FACET_PATH_CHARS - field.length() - 1)
                + " ("
                + shown(value)
                + ")");
      }
    }
    if (field.equals(ImageSchema.CAPTION) || field.equals(ImageSchema.KEYWORDS)) {
      long bytes = UnicodeUtil.calcUTF16toUTF8Length(value, 0, value.length());
      if (bytes > maxStoredBytes) {
        return Optional.of(
            (field.equals(ImageSchema.KEYWORDS) ? "a keyword" : field)
                + " is "
                + bytes
                + " bytes of UTF-8, over the stored value limit of "
                + maxStoredBytes
                + " ("
                + shown(value)
                + ")");
      }
    }
    return Optional.empty();
  }

  /** The start of a long value, so that a report line names it without repeating megabytes. */
  static String shown(String value) {
    if (value.length() <= SHOWN_CHARS) {
      return "'" + value + "'";
    }
    int end = SHOWN_CHARS;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return "starts '" + value.substring(0, end) + "...'";
  }
}
