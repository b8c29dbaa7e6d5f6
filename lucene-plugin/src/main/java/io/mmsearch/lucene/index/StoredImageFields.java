package io.mmsearch.lucene.index;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.manifest.ImageFields;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.IOConsumer;

/**
 * The text fields of indexed images, read back from what the index stores: the inverse of {@link
 * io.mmsearch.lucene.schema.ImageDocument#builder(ImageFields)}. What re-embedding an index with
 * another model starts from: id, uri, caption, keywords, class and subclass come back exactly as
 * they were indexed, so the image (found by its uri) and these fields give the same document again,
 * with new vectors. Vectors, content hash, size and media type are not read: they come from the
 * image bytes.
 */
public final class StoredImageFields {
  private static final Set<String> FIELDS =
      Set.of(
          ImageSchema.ID,
          ImageSchema.URI,
          ImageSchema.CAPTION,
          ImageSchema.KEYWORDS,
          ImageSchema.CLASS,
          ImageSchema.SUBCLASS);

  private StoredImageFields() {}

  /**
   * The fields of one stored document.
   *
   * @throws IllegalArgumentException if the document has no {@code id}
   */
  public static ImageFields of(Document stored) {
    String id = stored.get(ImageSchema.ID);
    if (id == null) {
      throw new IllegalArgumentException("the stored document has no " + ImageSchema.ID);
    }
    List<String> keywords = Arrays.asList(stored.getValues(ImageSchema.KEYWORDS));
    return new ImageFields(
        id,
        stored.get(ImageSchema.URI),
        stored.get(ImageSchema.CAPTION),
        keywords,
        stored.get(ImageSchema.CLASS),
        stored.get(ImageSchema.SUBCLASS));
  }

  /**
   * Calls {@code action} with the fields of every live document of {@code reader}, segment by
   * segment in doc id order. Reads stored fields only, so it needs no model and works on an index
   * of any model.
   */
  public static void forEachLive(IndexReader reader, IOConsumer<ImageFields> action)
      throws IOException {
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader segment = leaf.reader();
      Bits live = segment.getLiveDocs();
      StoredFields stored = segment.storedFields();
      for (int doc = 0; doc < segment.maxDoc(); doc++) {
        if (live == null || live.get(doc)) {
          action.accept(of(stored.document(doc, FIELDS)));
        }
      }
    }
  }
}
