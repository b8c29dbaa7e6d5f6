package io.mmsearch.lucene;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.TestEncoders.CountingEncoder;
import io.mmsearch.lucene.encode.QueryEncoder;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.index.StoredImageFields;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.SearchResults;
import io.mmsearch.lucene.search.SwappingReferenceManager;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * Compiles and runs the model-switch example of {@code docs/lucene-plugin.md} under a concurrent
 * search load, and checks that the page shows exactly this code: a host re-embeds what its index
 * stores with a new model into a new index while the old one serves, then switches without a gap.
 */
public class ModelSwitchExampleTest extends LuceneTestCase {

  // tag::example[]
  // Serving: every search acquires the current searcher and releases it when done.
  static SearchResults search(
      SwappingReferenceManager<MultimodalSearcher> searchers, SearchRequest request)
      throws IOException {
    MultimodalSearcher searcher = searchers.acquire();
    try {
      return searcher.search(request);
    } finally {
      searchers.release(searcher);
    }
  }

  // Switching models: re-embed what the old index stores (image uri, caption, keywords, class)
  // with the new model into a new index, open a searcher over it and swap. Searches in flight
  // finish on the old searcher, which is closed when the last of them releases it.
  static void switchModel(
      SwappingReferenceManager<MultimodalSearcher> searchers,
      Directory oldIndex,
      Directory newIndex,
      QueryEncoder newEncoder)
      throws IOException {
    ModelIdentity newModel = newEncoder.identity();
    try (DirectoryReader old = DirectoryReader.open(oldIndex);
        MultimodalIndexWriter writer =
            MultimodalIndexWriter.open(newIndex, MultimodalIndexConfig.builder(newModel).build())) {
      StoredImageFields.forEachLive(
          old,
          fields -> {
            byte[] image = Files.readAllBytes(Path.of(URI.create(fields.uri())));
            writer.upsert(
                ImageDocument.builder(fields)
                    .imageVector(newEncoder.encodeImage(image))
                    .captionVector(
                        fields.caption() == null ? null : newEncoder.encodeText(fields.caption()))
                    .build());
          });
      writer.commit(); // the new model's identity goes into the new index's commit
    }
    searchers.swap(
        MultimodalSearcher.builder()
            .directory(newIndex, newModel)
            .queryEncoder(newEncoder)
            .build());
  }

  // end::example[]

  public void testTheSwitchLosesNoSearchAndTheOldSearcherClosesAfterItsLastSearch()
      throws Exception {
    Path images = createTempDir("images");
    CountingEncoder oldEncoder =
        TestEncoders.deterministic(new ModelIdentity("sha256:old", 16), java.util.Map.of());
    CountingEncoder newEncoder =
        TestEncoders.deterministic(new ModelIdentity("sha256:new", 24), java.util.Map.of());
    try (Directory oldIndex = newFSDirectory(createTempDir("old"));
        Directory newIndex = newFSDirectory(createTempDir("new"))) {
      indexWithOldModel(oldIndex, oldEncoder, images);
      MultimodalSearcher oldSearcher =
          MultimodalSearcher.builder()
              .directory(oldIndex, oldEncoder.identity())
              .queryEncoder(oldEncoder)
              .build();
      try (SwappingReferenceManager<MultimodalSearcher> searchers =
          new SwappingReferenceManager<>(oldSearcher)) {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger searches = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          Thread thread =
              new Thread(
                  () -> {
                    try {
                      while (!done.get()) {
                        SearchResults r =
                            search(
                                searchers,
                                SearchRequest.builder().text("a red car").keywords("car").build());
                        assertEquals(
                            "every search answers from a whole index",
                            Set.of("car-1", "boat-1", "cat-1"),
                            Set.copyOf(r.hits().stream().map(Hit::id).toList()));
                        searches.incrementAndGet();
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  });
          load.add(thread);
          thread.start();
        }
        while (searches.get() < 20 && failures.isEmpty()) {
          Thread.sleep(1);
        }
        int oldModelQueries = oldEncoder.textCalls.get();

        switchModel(searchers, oldIndex, newIndex, newEncoder);

        int atSwitch = searches.get();
        while (searches.get() < atSwitch + 20 && failures.isEmpty()) {
          Thread.sleep(1);
        }
        done.set(true);
        for (Thread t : load) {
          t.join();
        }
        assertEquals(failures.toString(), List.of(), failures);
        assertTrue("the old model served before the switch", oldModelQueries > 0);
        assertTrue("the new model serves after it", newEncoder.textCalls.get() >= 20);
        assertFalse("the old searcher is closed once released", searchers.isOpen(oldSearcher));
        expectThrows(
            AlreadyClosedException.class,
            () -> oldSearcher.search(SearchRequest.builder().keywords("car").build()));
        MultimodalSearcher current = searchers.acquire();
        try {
          assertEquals(newEncoder.identity(), current.modelIdentity());
          assertEquals(3, current.numDocs());
        } finally {
          searchers.release(current);
        }
      }
    }
  }

  private static void indexWithOldModel(Directory dir, QueryEncoder encoder, Path images)
      throws IOException {
    try (MultimodalIndexWriter writer =
        MultimodalIndexWriter.open(
            dir, MultimodalIndexConfig.builder(encoder.identity()).build())) {
      String[][] docs = {
        {"car-1", "a red sports car", "Travel & Places"},
        {"boat-1", "a blue boat and a car ferry", "Travel & Places"},
        {"cat-1", "a red cat on a car seat", "Animals"},
      };
      for (String[] d : docs) {
        Path file = images.resolve(d[0] + ".png");
        Files.write(file, (d[0] + " pixels").getBytes(StandardCharsets.ISO_8859_1));
        writer.upsert(
            ImageDocument.builder(d[0])
                .uri(file.toUri().toString())
                .caption(d[1])
                .keywords(List.of("car"))
                .className(d[2])
                .imageVector(encoder.encodeImage(Files.readAllBytes(file)))
                .build());
      }
      writer.commit();
    }
  }

  public void testTheDocumentShowsExactlyThisExample() throws IOException {
    Path source = Path.of("src/test/java/io/mmsearch/lucene/ModelSwitchExampleTest.java");
    Path doc = Path.of("../docs/lucene-plugin.md");
    assumeTrue("runs from the module directory", Files.exists(source));
    String code = Files.readString(source, StandardCharsets.UTF_8);
    String example =
        code.substring(
            code.indexOf("// tag::example[]") + "// tag::example[]".length(),
            code.indexOf("  // end::example[]"));
    assertTrue(
        "docs/lucene-plugin.md must contain the example of " + source + " verbatim (dedented)",
        HostApplicationExampleTest.normalise(Files.readString(doc, StandardCharsets.UTF_8))
            .contains(HostApplicationExampleTest.normalise(example)));
  }
}
