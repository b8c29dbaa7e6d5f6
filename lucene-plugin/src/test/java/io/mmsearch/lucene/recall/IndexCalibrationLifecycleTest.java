package io.mmsearch.lucene.recall;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.recall.LayoutCalibrations;
import io.mmsearch.semantics.recall.RecallCalibration;
import io.mmsearch.semantics.recall.RecallCalibrator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * Where calibrations live and when they are measured: the writer records the committed layout's
 * calibration in the commit, keeps it across commits until a newer one replaces it, and measures
 * only layouts that have none; a searcher's readers use the commit's calibration when it describes
 * their layout and otherwise measure their own in the background, serving the nearest one
 * meanwhile.
 */
public class IndexCalibrationLifecycleTest extends LuceneTestCase {
  private static final int DIM = 16;
  private static final ModelIdentity MODEL = new ModelIdentity("sha256:cafe", DIM);
  private static final String FIELD = ImageSchema.IMAGE_VECTOR;

  /** Small and quick: 40 image-like queries, no text. */
  private static final IndexCalibration QUICK =
      IndexCalibration.defaults()
          .withSettings(RecallCalibrator.Settings.defaults().withQueries(40, 0));

  private MultimodalIndexConfig config() {
    return MultimodalIndexConfig.builder(MODEL)
        .recallCalibration(QUICK)
        .writerTuning(iwc -> iwc.setMergePolicy(NoMergePolicy.INSTANCE))
        .build();
  }

  private void add(MultimodalIndexWriter writer, int from, int to) throws IOException {
    for (int i = from; i < to; i++) {
      writer.upsert(
          ImageDocument.builder("doc-" + i)
              .caption("image " + i)
              .imageVector(RandomImageCorpus.unitVector(random(), DIM))
              .build());
    }
  }

  private static Optional<RecallCalibration> committed(Directory dir) throws IOException {
    return RecallCalibration.fromUserData(SegmentInfos.readLatestCommit(dir).getUserData(), FIELD);
  }

  public void testCalibrateRecordsTheCommittedLayoutBesideTheModel() throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config())) {
      add(writer, 0, 300);
      writer.commit();
      assertTrue(committed(dir).isEmpty());
      List<RecallCalibration> measured = writer.calibrate(null);
      assertEquals(1, measured.size());
      Map<String, String> userData = SegmentInfos.readLatestCommit(dir).getUserData();
      assertEquals(MODEL, ModelIdentity.fromEntries(userData, "commit").orElseThrow());
      RecallCalibration stored = committed(dir).orElseThrow();
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(LuceneCalibrationIndex.layoutOf(reader, FIELD), stored.layout());
      }
      assertEquals(300, stored.documents());
    }
  }

  public void testAnUnchangedLayoutIsNotMeasuredAgain() throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config())) {
      add(writer, 0, 200);
      writer.commit();
      assertEquals(1, writer.calibrate(null).size());
      long generation = SegmentInfos.readLatestCommit(dir).getGeneration();
      assertEquals(List.of(), writer.calibrate(null));
      assertEquals(generation, SegmentInfos.readLatestCommit(dir).getGeneration());
    }
  }

  public void testACalibrationStaysUntilAChangedLayoutIsMeasured() throws IOException {
    try (Directory dir = newDirectory()) {
      try (MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config())) {
        add(writer, 0, 200);
        writer.commit();
        writer.calibrate(null);
      }
      RecallCalibration first = committed(dir).orElseThrow();
      try (MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config())) {
        add(writer, 200, 400);
        writer.commit(); // a plain commit: the old calibration stays, now stale
        assertEquals(first.layout(), committed(dir).orElseThrow().layout());
        writer.calibrate(null);
        RecallCalibration second = committed(dir).orElseThrow();
        assertNotSame(first.layout(), second.layout());
        assertFalse(first.layout().equals(second.layout()));
        assertEquals(400, second.documents());
        assertEquals(2, second.segments());
      }
    }
  }

  public void testAReaderOfACalibratedCommitUsesItsCalibration() throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config())) {
      add(writer, 0, 200);
      writer.commit();
      writer.calibrate(null);
      try (DirectoryReader reader = DirectoryReader.open(dir);
          ReaderCalibrations calibrations = new ReaderCalibrations(QUICK, false)) {
        LayoutCalibrations.Current current = calibrations.forReader(reader, FIELD).orElseThrow();
        assertTrue(current.current());
        assertEquals(committed(dir).orElseThrow().layout(), current.calibration().layout());
      }
    }
  }

  public void testANewLayoutIsMeasuredInTheBackgroundWhileTheNearestServes() throws Exception {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config());
        ReaderCalibrations calibrations = new ReaderCalibrations(QUICK, true)) {
      add(writer, 0, 200);
      writer.commit();
      writer.calibrate(null);
      add(writer, 200, 300);
      writer.commit();
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LayoutCalibrations.Current first = calibrations.forReader(reader, FIELD).orElseThrow();
        if (!first.current()) { // unless the background measurement already finished
          assertEquals(200, first.calibration().documents());
        }
        calibrations.awaitMeasurement(reader, FIELD, 2, TimeUnit.MINUTES);
        LayoutCalibrations.Current later = calibrations.forReader(reader, FIELD).orElseThrow();
        assertTrue(later.current());
        assertEquals(300, later.calibration().documents());
        assertEquals(LuceneCalibrationIndex.layoutOf(reader, FIELD), later.calibration().layout());
      }
    }
  }

  public void testWithoutAnyCalibrationThereIsNoneAndNothingIsMeasuredWhenNotAllowed()
      throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config())) {
      add(writer, 0, 50);
      writer.commit();
      try (DirectoryReader reader = DirectoryReader.open(dir);
          ReaderCalibrations calibrations = new ReaderCalibrations(QUICK, false)) {
        assertTrue(calibrations.forReader(reader, FIELD).isEmpty());
      }
    }
  }

  public void testClosingStopsMeasuringAndReleasesTheReader() throws Exception {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config())) {
      add(writer, 0, 300);
      writer.commit();
      DirectoryReader reader = DirectoryReader.open(dir);
      ReaderCalibrations calibrations = new ReaderCalibrations(QUICK, true);
      calibrations.forReader(reader, FIELD);
      calibrations.close();
      calibrations.awaitMeasurement(reader, FIELD, 2, TimeUnit.MINUTES);
      reader.close();
      // every reference the measurement took is released: the reader really closes
      assertEquals(0, reader.getRefCount());
    }
  }
}
