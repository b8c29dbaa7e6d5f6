package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.recall.IndexCalibration;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.SearchDepth;
import io.mmsearch.semantics.recall.CandidateChoice;
import io.mmsearch.semantics.recall.QueryKind;
import io.mmsearch.semantics.recall.RecallCalibration;
import io.mmsearch.semantics.recall.RecallCalibrator;
import io.mmsearch.semantics.recall.RecallEstimate;
import java.io.IOException;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The target recall decides how many candidates a search fetches: the searcher asks its reader's
 * calibration for the count that reaches the request's target (the count HNSW actually searched: a
 * vector-only request matches exactly its candidates), an explicit oversample or count overrides
 * it, every vector search says what it fetched and the recall to expect, and a target outside (0,
 * 1] is refused.
 */
public class TargetRecallSearchTest extends LuceneTestCase {
  private static final int DIM = 16;
  private static final int DOCS = 1500;
  private static final ModelIdentity MODEL = new ModelIdentity("sha256:beef", DIM);

  private static final IndexCalibration QUICK =
      IndexCalibration.defaults()
          .withSettings(RecallCalibrator.Settings.defaults().withQueries(60, 0));

  private Directory dir;
  private RecallCalibration calibration;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    dir = newDirectory();
    try (MultimodalIndexWriter writer =
        MultimodalIndexWriter.open(
            dir, MultimodalIndexConfig.builder(MODEL).recallCalibration(QUICK).build())) {
      for (int i = 0; i < DOCS; i++) {
        writer.upsert(
            ImageDocument.builder("doc-" + i)
                .caption("image " + i)
                .imageVector(RandomImageCorpus.unitVector(random(), DIM))
                .build());
      }
      writer.commit();
      writer.calibrate(null);
    }
    calibration =
        RecallCalibration.fromUserData(
                SegmentInfos.readLatestCommit(dir).getUserData(), ImageSchema.IMAGE_VECTOR)
            .orElseThrow();
  }

  @Override
  public void tearDown() throws Exception {
    dir.close();
    super.tearDown();
  }

  private MultimodalSearcher searcher() throws IOException {
    return MultimodalSearcher.builder()
        .directory(dir, MODEL)
        .recallCalibration(QUICK)
        .measureRecallInBackground(false)
        .build();
  }

  private static SearchRequest.Builder vectorQuery() {
    return SearchRequest.builder()
        .vector(RandomImageCorpus.unitVector(random(), DIM))
        .k(10)
        .size(10)
        .facets(false);
  }

  public void testTheDefaultSearchFetchesTheCountTheCalibrationChoosesForTheTarget()
      throws IOException {
    try (MultimodalSearcher searcher = searcher()) {
      for (double target : new double[] {0.5, 0.9, 0.98, 0.999}) {
        CandidateChoice expected = calibration.choose(QueryKind.IMAGE, 10, target, 1.0, true);
        SearchResults results = searcher.search(vectorQuery().targetRecall(target).build());
        RecallEstimate recall = results.recall().orElseThrow();
        assertEquals(target, recall.targetRecall(), 0);
        assertEquals(Math.max(10, expected.candidates()), recall.candidates());
        // A vector-only request matches exactly the candidates the kNN search fetched.
        assertEquals(recall.candidates(), results.totalMatches());
        assertEquals(RecallEstimate.Source.CALIBRATED, recall.source());
      }
    }
  }

  public void testWithoutATargetTheRequestAsksForTheDefault() throws IOException {
    try (MultimodalSearcher searcher = searcher()) {
      RecallEstimate recall = searcher.search(vectorQuery().build()).recall().orElseThrow();
      assertEquals(SearchDepth.DEFAULT_TARGET_RECALL, recall.targetRecall(), 0);
      assertEquals(
          Math.max(10, calibration.choose(QueryKind.IMAGE, 10, 0.98, 1.0, true).candidates()),
          recall.candidates());
    }
  }

  public void testAnExplicitOversampleOverridesTheTargetAndIsStillEstimated() throws IOException {
    try (MultimodalSearcher searcher = searcher()) {
      SearchResults results =
          searcher.search(vectorQuery().oversample(7).targetRecall(0.5).build());
      RecallEstimate recall = results.recall().orElseThrow();
      assertEquals(70, recall.candidates());
      assertEquals(70, results.totalMatches());
      assertFalse(recall.targeted());
      assertEquals(
          calibration.estimate(QueryKind.IMAGE, 10, 70, 1.0, true).estimatedRecall(),
          recall.estimatedRecall(),
          1e-9);
    }
  }

  public void testAnExplicitCandidateCountOverridesTheTarget() throws IOException {
    try (MultimodalSearcher searcher = searcher()) {
      SearchResults results =
          searcher.search(vectorQuery().numCandidates(33).targetRecall(0.999).build());
      assertEquals(33, results.recall().orElseThrow().candidates());
      assertEquals(33, results.totalMatches());
    }
  }

  public void testTheEstimateIsTheCalibrationsRecallForTheCountFetched() throws IOException {
    try (MultimodalSearcher searcher = searcher()) {
      RecallEstimate recall =
          searcher.search(vectorQuery().targetRecall(0.95).build()).recall().orElseThrow();
      CandidateChoice expected =
          calibration.estimate(QueryKind.IMAGE, 10, recall.candidates(), 1.0, true);
      assertEquals(expected.estimatedRecall(), recall.estimatedRecall(), 1e-9);
      assertEquals(expected.standardError(), recall.standardError(), 1e-9);
      assertTrue(recall.estimatedRecall() > 0 && recall.estimatedRecall() <= 1);
      assertFalse(recall.basis().isEmpty());
    }
  }

  public void testAKeywordOnlySearchHasNoRecallEstimate() throws IOException {
    try (MultimodalSearcher searcher = searcher()) {
      SearchResults results =
          searcher.search(SearchRequest.builder().keywords("image").facets(false).build());
      assertTrue(results.recall().isEmpty());
    }
  }

  public void testAnUncalibratedIndexFetchesTheDefaultOversampleAndSaysSo() throws IOException {
    try (Directory plain = newDirectory()) {
      try (MultimodalIndexWriter writer =
          MultimodalIndexWriter.open(plain, MultimodalIndexConfig.builder(MODEL).build())) {
        for (int i = 0; i < 100; i++) {
          writer.upsert(
              ImageDocument.builder("doc-" + i)
                  .imageVector(RandomImageCorpus.unitVector(random(), DIM))
                  .build());
        }
        writer.commit();
      }
      try (MultimodalSearcher searcher =
          MultimodalSearcher.builder()
              .directory(plain, MODEL)
              .measureRecallInBackground(false)
              .build()) {
        RecallEstimate recall = searcher.search(vectorQuery().build()).recall().orElseThrow();
        assertEquals(40, recall.candidates());
        assertEquals(RecallEstimate.Source.UNCALIBRATED, recall.source());
        assertTrue(Double.isNaN(recall.estimatedRecall()));
      }
    }
  }

  public void testATargetOutsideZeroToOneIsRefusedNamingIt() {
    for (double bad : new double[] {0, 1.5, -0.2, Double.NaN}) {
      InvalidQueryException e =
          expectThrows(InvalidQueryException.class, () -> vectorQuery().targetRecall(bad).build());
      assertTrue(e.getMessage(), e.getMessage().contains("target recall must be in (0, 1]"));
    }
  }
}
