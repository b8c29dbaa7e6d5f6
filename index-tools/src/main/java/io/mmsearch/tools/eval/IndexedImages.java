package io.mmsearch.tools.eval;

import io.mmsearch.lucene.rerank.VectorBlock;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.manifest.ImageFields;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.StoredFields;

/**
 * A point-in-time copy of what evaluation needs from an index: every live document's id, class,
 * caption and full-precision image vector. Immutable; holds the vectors on the heap (an evaluation
 * index of a few thousand images is a few MB).
 */
public final class IndexedImages {

  private final VectorBlock vectors;
  private final String[] ids;
  private final String[] classes;
  private final String[] captions;
  private final Map<String, Integer> rowOfId;
  private final Map<Integer, Integer> rowOfDoc;

  private IndexedImages(VectorBlock vectors, String[] ids, String[] classes, String[] captions) {
    this.vectors = vectors;
    this.ids = ids;
    this.classes = classes;
    this.captions = captions;
    this.rowOfId = new HashMap<>();
    this.rowOfDoc = new HashMap<>();
    for (int row = 0; row < ids.length; row++) {
      rowOfId.put(ids[row], row);
      rowOfDoc.put(vectors.docId(row), row);
    }
  }

  /**
   * Reads the live documents of {@code reader} that have an image vector.
   *
   * @throws EvalInputException if the index holds no image vectors
   */
  public static IndexedImages read(IndexReader reader) throws IOException {
    VectorBlock block;
    try {
      block = VectorBlock.readAll(reader, ImageSchema.IMAGE_VECTOR);
    } catch (IllegalArgumentException e) {
      throw new EvalInputException("the index holds no image vectors: " + e.getMessage(), e);
    }
    if (block.size() == 0) {
      throw new EvalInputException("the index holds no live documents to evaluate against");
    }
    String[] ids = new String[block.size()];
    String[] classes = new String[block.size()];
    String[] captions = new String[block.size()];
    StoredFields stored = reader.storedFields();
    Set<String> fields = Set.of(ImageSchema.ID, ImageSchema.CLASS, ImageSchema.CAPTION);
    for (int row = 0; row < block.size(); row++) {
      Document doc = stored.document(block.docId(row), fields);
      ids[row] = doc.get(ImageSchema.ID);
      classes[row] = doc.get(ImageSchema.CLASS);
      captions[row] = doc.get(ImageSchema.CAPTION);
    }
    return new IndexedImages(block, ids, classes, captions);
  }

  /** Number of documents. */
  public int size() {
    return ids.length;
  }

  /** Whether a document with this id is in the index. */
  public boolean contains(String id) {
    return rowOfId.containsKey(id);
  }

  /** The id of the document with this top-level Lucene doc id. */
  public String idOfDoc(int docId) {
    Integer row = rowOfDoc.get(docId);
    if (row == null) {
      throw new IllegalArgumentException("doc " + docId + " is not in this snapshot");
    }
    return ids[row];
  }

  /** The full-precision image vectors, rows labelled with Lucene doc ids. */
  public VectorBlock vectors() {
    return vectors;
  }

  /** The id of row {@code row}. */
  public String id(int row) {
    return ids[row];
  }

  /** The class of row {@code row}, or {@code null} if the document has none. */
  public String className(int row) {
    return classes[row];
  }

  /**
   * The first caption of row {@code row} (a document's captions are stored joined by {@link
   * ImageFields#CAPTION_SEPARATOR}), or {@code null} if it has none.
   */
  public String firstCaption(int row) {
    String joined = captions[row];
    if (joined == null || joined.isBlank()) {
      return null;
    }
    int end = joined.indexOf(ImageFields.CAPTION_SEPARATOR);
    return end < 0 ? joined : joined.substring(0, end);
  }

  /** How many documents each class has, in first-seen order; documents without class excluded. */
  public Map<String, Integer> classCounts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String c : classes) {
      if (c != null) {
        counts.merge(c, 1, Integer::sum);
      }
    }
    return counts;
  }
}
