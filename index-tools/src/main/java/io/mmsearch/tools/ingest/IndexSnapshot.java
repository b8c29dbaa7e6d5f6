package io.mmsearch.tools.ingest;

import io.mmsearch.lucene.schema.ImageSchema;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The index as it was at the last commit before a run started: answers "is this id already indexed
 * with this content hash?" and remembers which documents the run has seen, so that {@code
 * --delete-missing} can remove the others.
 *
 * <p>Memory stays flat: lookups go to the index, and the seen set is one bit per document. Thread-
 * safe. The caller closes it.
 */
final class IndexSnapshot implements Closeable {
  private static final Set<String> HASH_FIELD = Set.of(ImageSchema.CONTENT_HASH);
  private static final Set<String> ID_FIELD = Set.of(ImageSchema.ID);

  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final FixedBitSet seen;

  private IndexSnapshot(DirectoryReader reader) {
    this.reader = reader;
    this.searcher = reader == null ? null : new IndexSearcher(reader);
    this.seen = new FixedBitSet(reader == null ? 0 : Math.max(1, reader.maxDoc()));
  }

  /** The last commit of {@code directory}, or an empty snapshot when there is no index yet. */
  static IndexSnapshot open(Directory directory) throws IOException {
    return new IndexSnapshot(
        DirectoryReader.indexExists(directory) ? DirectoryReader.open(directory) : null);
  }

  /** Number of live documents at the snapshot. */
  int documents() {
    return reader == null ? 0 : reader.numDocs();
  }

  /**
   * The content hash stored for {@code id}, empty if the id is not indexed; marks the document as
   * seen either way.
   */
  Optional<String> contentHash(String id) throws IOException {
    if (searcher == null) {
      return Optional.empty();
    }
    TopDocs hits = searcher.search(new TermQuery(new Term(ImageSchema.ID, id)), 1);
    if (hits.scoreDocs.length == 0) {
      return Optional.empty();
    }
    ScoreDoc hit = hits.scoreDocs[0];
    synchronized (seen) {
      seen.set(hit.doc);
    }
    StoredFields stored = searcher.storedFields();
    Document doc = stored.document(hit.doc, HASH_FIELD);
    return Optional.ofNullable(doc.get(ImageSchema.CONTENT_HASH));
  }

  /** Calls {@code action} with the id of every live document that no lookup has marked seen. */
  void forEachUnseenId(Consumer<String> action) throws IOException {
    if (reader == null) {
      return;
    }
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader r = leaf.reader();
      Bits live = r.getLiveDocs();
      StoredFields stored = r.storedFields();
      for (int doc = 0; doc < r.maxDoc(); doc++) {
        boolean wasSeen;
        synchronized (seen) {
          wasSeen = seen.get(leaf.docBase + doc);
        }
        if ((live == null || live.get(doc)) && !wasSeen) {
          String id = stored.document(doc, ID_FIELD).get(ImageSchema.ID);
          if (id != null) {
            action.accept(id);
          }
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
