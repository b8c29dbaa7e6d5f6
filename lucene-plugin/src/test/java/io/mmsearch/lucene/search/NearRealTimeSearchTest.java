package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.schema.ImageDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

/** Documents become searchable after refresh while indexing continues and searches run. */
public class NearRealTimeSearchTest extends LuceneTestCase {
  private static final int DIM = 12;
  private static final ModelIdentity MODEL = new ModelIdentity("nrt-test-model", DIM);

  public void testDocumentsAreVisibleAfterRefreshWhileOtherThreadsSearch() throws Exception {
    List<ImageDocument> docs = RandomImageCorpus.documents(random(), atLeast(200), DIM);
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer =
            MultimodalIndexWriter.open(
                dir,
                MultimodalIndexConfig.builder(MODEL)
                    .writerTuning(iwc -> iwc.setMaxBufferedDocs(TestUtil.nextInt(random(), 5, 50)))
                    .build());
        MultimodalSearcher searcher =
            MultimodalSearcher.builder()
                .nearRealTime(writer)
                .exactScorer(new JavaExactScorer())
                .build()) {
      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger published = new AtomicInteger();
      AtomicInteger searches = new AtomicInteger();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        long seed = random().nextLong();
        Thread reader =
            new Thread(
                () -> {
                  java.util.Random r = new java.util.Random(seed);
                  try {
                    while (!done.get()) {
                      int mustSee = published.get();
                      int k = 1 + r.nextInt(10);
                      SearchResults results =
                          searcher.search(
                              SearchRequest.builder()
                                  .vector(RandomImageCorpus.unitVector(r, DIM))
                                  .keywords(
                                      RandomImageCorpus.WORDS[
                                          r.nextInt(RandomImageCorpus.WORDS.length)])
                                  .k(k)
                                  .size(k)
                                  .build());
                      assertTrue(results.hits().size() <= k);
                      for (Hit hit : results.hits()) {
                        assertNotNull(hit.id());
                      }
                      // A searcher acquired after a refresh sees at least what it published.
                      assertTrue(searcher.numDocs() >= mustSee);
                      searches.incrementAndGet();
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });
        readers.add(reader);
        reader.start();
      }
      try {
        int i = 0;
        while (i < docs.size()) {
          int batch = Math.min(docs.size() - i, TestUtil.nextInt(random(), 1, 40));
          List<ImageDocument> added = docs.subList(i, i + batch);
          writer.upsertAll(added);
          i += batch;
          writer.refresh();
          published.set(i);
          // Every document of the batch is findable right after refresh, without a commit.
          for (ImageDocument doc : added) {
            assertTrue(doc.id(), searcher.storedVector(doc.id(), "image_vec").isPresent());
          }
          assertEquals(i, searcher.numDocs());
        }
        // And the newest document is its own nearest neighbour.
        ImageDocument last = docs.get(docs.size() - 1);
        SearchResults top =
            searcher.search(SearchRequest.builder().vector(last.imageVector()).k(1).build());
        assertEquals(last.id(), top.hits().get(0).id());
      } finally {
        done.set(true);
        for (Thread reader : readers) {
          reader.join();
        }
      }
      if (!failures.isEmpty()) {
        throw new AssertionError("a searching thread failed", failures.get(0));
      }
      assertTrue(searches.get() > 0);
    }
  }
}
