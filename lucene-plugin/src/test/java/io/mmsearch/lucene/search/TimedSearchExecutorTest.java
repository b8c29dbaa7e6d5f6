package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/** The timed search runs its slices on the executor the searcher was built with. */
public class TimedSearchExecutorTest extends LuceneTestCase {
  private static final int DIM = 8;
  private static final ModelIdentity MODEL = new ModelIdentity("timed-search-model", DIM);

  public void testATimedSearchUsesTheBuildersExecutor() throws Exception {
    try (Directory dir = newDirectory()) {
      try (MultimodalIndexWriter writer =
          MultimodalIndexWriter.open(
              dir,
              MultimodalIndexConfig.builder(MODEL)
                  .writerTuning(
                      iwc ->
                          iwc.setMaxBufferedDocs(10)
                              .setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE))
                  .build())) {
        writer.upsertAll(RandomImageCorpus.documents(random(), 60, DIM));
        writer.commit();
      }
      AtomicInteger tasks = new AtomicInteger();
      Executor counting =
          task -> {
            tasks.incrementAndGet();
            task.run();
          };
      QueryTimeout never = () -> false;
      try (MultimodalSearcher searcher =
          MultimodalSearcher.builder().directory(dir, MODEL).executor(counting).build()) {
        SearchRequest request =
            SearchRequest.builder().vector(RandomImageCorpus.unitVector(random(), DIM)).build();
        SearchResults plain = searcher.search(request);
        assertTrue("the untimed search forks segment tasks", tasks.get() > 0);
        tasks.set(0);
        SearchResults timed = searcher.search(request, never);
        assertTrue("the timed search forks them on the same executor", tasks.get() > 0);
        assertEquals(plain.hits(), timed.hits());
      }
    }
  }
}
