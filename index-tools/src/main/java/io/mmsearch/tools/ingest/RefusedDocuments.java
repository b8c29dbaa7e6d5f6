package io.mmsearch.tools.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.lucene.index.StoredImageFields;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.manifest.ImageFields;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;

/**
 * After a complete {@code mmsearch reindex} run: every document of the old index that the new one
 * does not hold (its image was gone, unreadable or no longer decodable, or the index stored no
 * image location for it), written as a manifest, so that nothing is dropped silently. Each line
 * holds the document's stored fields under the manifest's column names ({@code id}, {@code image} =
 * the stored uri, {@code caption}, {@code keywords}, {@code class}, {@code subclass}): once the
 * images are back (or the {@code image} column points to where they are now), {@code mmsearch index
 * FILE --index NEW --model NEW} adds them. Why each was refused is in the run's error report.
 */
public final class RefusedDocuments {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RefusedDocuments() {}

  /**
   * Compares the two indexes and writes the documents of {@code old} that {@code newIndex} lacks to
   * {@code file}, replacing it; deletes {@code file} when there are none.
   *
   * @return how many documents were written
   */
  public static long write(IndexReader old, Directory newIndex, Path file) throws IOException {
    AtomicLong refused = new AtomicLong();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (DirectoryReader current = DirectoryReader.open(newIndex);
        BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      IndexSearcher searcher = new IndexSearcher(current);
      StoredImageFields.forEachLive(
          old,
          fields -> {
            if (searcher.count(new TermQuery(new Term(ImageSchema.ID, fields.id()))) == 0) {
              out.write(manifestLine(fields));
              out.write('\n');
              refused.incrementAndGet();
            }
          });
    }
    if (refused.get() == 0) {
      Files.delete(tmp);
      Files.deleteIfExists(file);
    } else {
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return refused.get();
  }

  private static String manifestLine(ImageFields fields) {
    ObjectNode line = JSON.createObjectNode();
    fields
        .values()
        .forEach(
            (name, values) -> {
              String column = name.equals(ImageFields.URI) ? "image" : name;
              if (name.equals(ImageFields.KEYWORDS)) {
                values.forEach(line.putArray(column)::add);
              } else {
                line.put(column, values.get(0));
              }
            });
    return line.toString();
  }
}
