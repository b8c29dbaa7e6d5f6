package org.example.hostapp;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.lucene.encode.BundleQueryEncoder;
import io.mmsearch.lucene.encode.QueryEncoder;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A host application embedding mmsearch: indexes the images of a folder with a model bundle into a
 * Lucene index, then answers a text query.
 *
 * <pre>{@code
 * java -cp <class path> org.example.hostapp.HostApp <model bundle> <image folder> <index> <query>
 * }</pre>
 */
public final class HostApp {
  private HostApp() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: HostApp <model bundle> <image folder> <index folder> <query>");
      System.exit(2);
    }
    List<Hit> hits =
        indexAndSearch(
            Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), args[3], 5, System.err);
    for (Hit hit : hits) {
      System.out.printf(Locale.ROOT, "%.4f %s%n", hit.score(), hit.id());
    }
  }

  /**
   * Indexes every file of {@code images} (the id is the file name; a file that is not a readable
   * image is reported on {@code problems} and skipped) and returns the top {@code k} for {@code
   * query}.
   */
  public static List<Hit> indexAndSearch(
      Path bundle, Path images, Path indexDir, String query, int k, PrintStream problems)
      throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(images)) {
      files = listing.filter(Files::isRegularFile).sorted().toList();
    }
    try (DualEncoder model = Encoders.open(EncoderCriteria.builder().bundle(bundle).build());
        Directory directory = FSDirectory.open(indexDir)) {
      QueryEncoder encoder = BundleQueryEncoder.of(model);
      MultimodalIndexConfig config = MultimodalIndexConfig.builder(encoder.identity()).build();
      try (MultimodalIndexWriter writer = MultimodalIndexWriter.open(directory, config)) {
        for (int from = 0; from < files.size(); from += 32) {
          List<Path> batch = files.subList(from, Math.min(files.size(), from + 32));
          List<byte[]> bytes = new ArrayList<>();
          List<String> names = new ArrayList<>();
          for (Path file : batch) {
            bytes.add(Files.readAllBytes(file));
            names.add(file.getFileName().toString());
          }
          List<EncodingResult> vectors = model.image().encodeEach(bytes, names);
          for (int i = 0; i < batch.size(); i++) {
            if (!vectors.get(i).ok()) {
              problems.println("skipped: " + vectors.get(i).error().getMessage());
              continue;
            }
            writer.upsert(
                ImageDocument.builder(names.get(i))
                    .uri(batch.get(i).toUri().toString())
                    .imageVector(vectors.get(i).vector())
                    .build());
          }
        }
        writer.commit();
      }
      try (MultimodalSearcher searcher =
          MultimodalSearcher.builder()
              .directory(directory, encoder.identity())
              .queryEncoder(encoder)
              .build()) {
        return searcher.search(SearchRequest.builder().text(query).k(k).build()).hits();
      }
    }
  }
}
