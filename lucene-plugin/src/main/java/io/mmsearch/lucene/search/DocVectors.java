package io.mmsearch.lucene.search;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;

/**
 * The full-precision vectors of a few documents in one field, read in doc-id order segment by
 * segment (a vector iterator only moves forward): what the target join and the diversity stages
 * score with. Stateless.
 */
final class DocVectors {
  private DocVectors() {}

  /**
   * @param docs top-level doc ids of {@code reader}
   * @return each doc's vector in {@code field}; a doc without one is absent
   */
  static Map<Integer, float[]> read(IndexReader reader, String field, Collection<Integer> docs)
      throws IOException {
    Map<Integer, float[]> out = new HashMap<>(docs.size() * 2);
    List<LeafReaderContext> leaves = reader.leaves();
    int leafOrd = -1;
    FloatVectorValues values = null;
    KnnVectorValues.DocIndexIterator it = null;
    LeafReaderContext leaf = null;
    for (int doc : new TreeSet<>(docs)) {
      int ord = ReaderUtil.subIndex(doc, leaves);
      if (ord != leafOrd) {
        leafOrd = ord;
        leaf = leaves.get(ord);
        values = leaf.reader().getFloatVectorValues(field);
        it = values == null ? null : values.iterator();
      }
      if (it == null) {
        continue;
      }
      int local = doc - leaf.docBase;
      int at = it.docID() >= local ? it.docID() : it.advance(local);
      if (at == local) {
        out.put(doc, values.vectorValue(it.index()).clone());
      }
    }
    return out;
  }
}
