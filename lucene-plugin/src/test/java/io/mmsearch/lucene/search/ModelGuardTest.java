package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.ModelMismatchException;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/** An index of another model never goes live, whichever way the searcher gets its readers. */
public class ModelGuardTest extends LuceneTestCase {
  private static final int DIM = 8;
  private static final ModelIdentity MODEL = new ModelIdentity("model-a", DIM);
  private static final ModelIdentity OTHER = new ModelIdentity("model-b", DIM);

  private static List<ImageDocument> index(Directory dir, ModelIdentity model, int n)
      throws IOException {
    List<ImageDocument> docs = RandomImageCorpus.documents(random(), n, DIM);
    try (MultimodalIndexWriter w =
        MultimodalIndexWriter.open(dir, MultimodalIndexConfig.builder(model).build())) {
      w.upsertAll(docs);
    }
    return docs;
  }

  /** Another process replaces the index with one of another model. */
  private static void replaceWithAnotherModelsIndex(Directory dir) throws IOException {
    IndexWriterConfig iwc =
        new IndexWriterConfig(ImageSchema.newAnalyzer())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    try (IndexWriter raw = new IndexWriter(dir, iwc)) {
      for (ImageDocument d : RandomImageCorpus.documents(random(), 5, DIM)) {
        raw.addDocument(ImageSchema.toLuceneDocument(d));
      }
      raw.setLiveCommitData(OTHER.toEntries().entrySet());
      raw.commit();
    }
  }

  /** Fails on main 02f853c: refresh made the new reader live and only then checked it. */
  public void testARefreshOntoAnotherModelsIndexFailsAndTheOldIndexStaysLive() throws Exception {
    try (Directory dir = newDirectory()) {
      List<ImageDocument> ours = index(dir, MODEL, 20);
      try (MultimodalSearcher searcher =
          MultimodalSearcher.builder()
              .directory(dir, MODEL)
              .exactScorer(new JavaExactScorer())
              .build()) {
        replaceWithAnotherModelsIndex(dir);
        ModelMismatchException e = expectThrows(ModelMismatchException.class, searcher::refresh);
        assertTrue(e.getMessage(), e.getMessage().contains("model-b"));
        assertEquals("the mismatched index never goes live", 20, searcher.numDocs());
        ImageDocument probe = ours.get(random().nextInt(ours.size()));
        SearchResults r =
            searcher.search(SearchRequest.builder().vector(probe.imageVector()).k(1).build());
        assertEquals(probe.id(), r.hits().get(0).id());
      }
    }
  }

  public void testOpeningAnotherModelsIndexFailsNamingBothModels() throws Exception {
    try (Directory dir = newDirectory()) {
      index(dir, OTHER, 3);
      ModelMismatchException e =
          expectThrows(
              ModelMismatchException.class,
              () -> MultimodalSearcher.builder().directory(dir, MODEL).build());
      assertTrue(e.getMessage(), e.getMessage().contains("model-a"));
      assertTrue(e.getMessage(), e.getMessage().contains("model-b"));
    }
  }

  public void testAHostsManagerWithTheCheckingFactoryKeepsItsOldSearcherOnAMismatch()
      throws Exception {
    try (Directory dir = newDirectory()) {
      index(dir, MODEL, 7);
      try (SearcherManager manager =
          new SearcherManager(dir, new ModelCheckingSearcherFactory(MODEL, null))) {
        replaceWithAnotherModelsIndex(dir);
        expectThrows(ModelMismatchException.class, manager::maybeRefreshBlocking);
        var s = manager.acquire();
        try {
          assertEquals(7, s.getIndexReader().numDocs());
        } finally {
          manager.release(s);
        }
      }
    }
  }

  public void testAHostSearcherOverAnotherModelsIndexIsRefusedBeforeAnySearch() throws Exception {
    try (Directory dir = newDirectory()) {
      index(dir, OTHER, 3);
      try (DirectoryReader reader = DirectoryReader.open(dir);
          MultimodalSearcher searcher =
              MultimodalSearcher.builder()
                  .model(MODEL)
                  .exactScorer(new JavaExactScorer())
                  .build()) {
        expectThrows(
            ModelMismatchException.class,
            () ->
                searcher.search(
                    newSearcher(reader, false), SearchRequest.builder().keywords("red").build()));
      }
    }
  }
}
