package io.mmsearch.lucene.recall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.semantics.recall.CandidateChoice;
import io.mmsearch.semantics.recall.QueryKind;
import io.mmsearch.semantics.recall.RecallCalibration;
import io.mmsearch.semantics.recall.RecallCalibrator;
import io.mmsearch.semantics.recall.TextQueries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibration's promise on a small real index: the candidate count it chooses for a target
 * reaches that target on new queries, measured against exact search. The collection imitates the
 * {@code real-image} set at small scale: "sources" in a low-dimensional subspace, each indexed many
 * times with noise (augmented images), searched by new noisy copies (new images) and by vectors
 * shifted off the images' region (text queries across the modality gap). int8 graph in two
 * segments, as indexing leaves it before merges.
 */
class RecallCalibratorTest {
  private static final int DIM = 48;
  private static final int SOURCES = 400;
  private static final int DOCS = 8000;
  private static final int SUBSPACE = 24;
  private static final String FIELD = "vec";

  /**
   * A sparse graph (M 6, beam 24), so that the targets need visibly different candidate counts at
   * this small size.
   */
  private static final KnnVectorsFormat FORMAT = VectorFormat.INT8.knnVectorsFormat(6, 24);

  private static RecallCalibration calibration;

  @TempDir static Path folder;
  private static Directory directory;
  private static DirectoryReader reader;
  private static float[][] sources;
  private static float[] modalityShift;
  private static float[][] docs;

  @BeforeAll
  static void index() throws IOException {
    Random random = new Random(7);
    sources = new float[SOURCES][];
    for (int s = 0; s < SOURCES; s++) {
      float[] v = new float[DIM];
      for (int j = 0; j < SUBSPACE; j++) { // a subspace: the low intrinsic dimension of embeddings
        v[j] = (float) random.nextGaussian();
      }
      sources[s] = VectorUtil.l2normalize(v);
    }
    modalityShift = new float[DIM];
    for (int j = SUBSPACE; j < DIM; j++) {
      modalityShift[j] = (float) random.nextGaussian();
    }
    VectorUtil.l2normalize(modalityShift);
    docs = new float[DOCS][];
    for (int i = 0; i < DOCS; i++) {
      docs[i] = imageOf(sources[i % SOURCES], random);
    }
    directory = FSDirectory.open(folder);
    KnnVectorsFormat int8 = FORMAT;
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setCodec(
                new Lucene104Codec() {
                  @Override
                  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return int8;
                  }
                })
            .setMergePolicy(NoMergePolicy.INSTANCE)
            .setMaxBufferedDocs(DOCS / 2);
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      for (int i = 0; i < DOCS; i++) {
        Document d = new Document();
        d.add(new KnnFloatVectorField(FIELD, docs[i], VectorSimilarityFunction.DOT_PRODUCT));
        d.add(new StoredField("caption", "caption of source " + (i % SOURCES)));
        writer.addDocument(d);
      }
      writer.commit();
    }
    reader = DirectoryReader.open(directory);
    calibration = calibrate();
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
    directory.close();
  }

  /** An "augmentation" of a source: the source plus noise, normalised. */
  private static float[] imageOf(float[] source, Random random) {
    float[] v = source.clone();
    for (int j = 0; j < DIM; j++) {
      v[j] += (float) (random.nextGaussian() * 0.15);
    }
    return VectorUtil.l2normalize(v);
  }

  /** A "text query" for a source: shifted off the images' region, plus noise, normalised. */
  private static float[] textOf(float[] source, Random random) {
    float[] v = source.clone();
    for (int j = 0; j < DIM; j++) {
      v[j] += 0.8f * modalityShift[j] + (float) (random.nextGaussian() * 0.2);
    }
    return VectorUtil.l2normalize(v);
  }

  private static List<float[]> texts(int n, Random random) {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(textOf(sources[random.nextInt(SOURCES)], random));
    }
    return out;
  }

  private static RecallCalibration calibrate() throws IOException {
    return new RecallCalibrator(RecallCalibrator.Settings.defaults())
        .calibrate(
            new LuceneCalibrationIndex(reader, FIELD),
            FIELD,
            TextQueries.of(texts(200, new Random(11)), "text queries"))
        .orElseThrow();
  }

  /** Mean recall@10 of HNSW (re-ranked: the candidate set) against brute force. */
  private static double recall(List<float[]> queries, int candidates) throws IOException {
    IndexSearcher searcher = new IndexSearcher(reader);
    double sum = 0;
    for (float[] q : queries) {
      Set<Integer> found = new HashSet<>();
      for (ScoreDoc hit :
          searcher.search(new KnnFloatVectorQuery(FIELD, q, candidates), candidates).scoreDocs) {
        found.add(hit.doc);
      }
      Integer[] order = new Integer[DOCS];
      for (int i = 0; i < DOCS; i++) {
        order[i] = i;
      }
      float[] scores = new float[DOCS];
      for (int i = 0; i < DOCS; i++) {
        scores[i] = VectorUtil.dotProduct(q, docs[i]);
      }
      Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
      int hit = 0;
      for (int i = 0; i < 10; i++) {
        // doc ids follow insertion order: one writer thread, no merges
        if (found.contains(order[i])) {
          hit++;
        }
      }
      sum += hit / 10.0;
    }
    return sum / queries.size();
  }

  @Test
  void theChosenCountsReachTheirTargetsOnNewQueries() throws IOException {
    Random random = new Random(99);
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      images.add(imageOf(sources[random.nextInt(SOURCES)], random));
    }
    List<float[]> texts = texts(300, random);
    for (double target : new double[] {0.9, 0.95, 0.98}) {
      for (QueryKind kind : QueryKind.values()) {
        CandidateChoice choice = calibration.choose(kind, 10, target, 1, true);
        assertTrue(choice.reachable(), kind + " " + target + ": " + choice);
        double achieved = recall(kind == QueryKind.IMAGE ? images : texts, choice.candidates());
        System.out.printf(
            java.util.Locale.ROOT,
            "calibrated %s queries, target %.2f: %s; achieved %.4f%n",
            kind.label(),
            target,
            choice,
            achieved);
        // 300 new queries: their own mean is uncertain by about 0.005 at these recalls.
        assertTrue(
            achieved >= target - 0.01,
            kind + " target " + target + ": " + choice + ", achieved " + achieved);
      }
    }
  }

  @Test
  void textQueriesNeedMoreCandidatesThanImageQueries() {
    int image = calibration.choose(QueryKind.IMAGE, 10, 0.98, 1, true).candidates();
    int text = calibration.choose(QueryKind.TEXT, 10, 0.98, 1, true).candidates();
    assertTrue(text > image, "text " + text + " vs image " + image);
  }

  @Test
  void theCalibrationDescribesTheLayoutItMeasured() {
    assertEquals(2, calibration.segments());
    assertEquals(DOCS, calibration.documents());
    assertEquals(LuceneCalibrationIndex.layoutOf(reader, FIELD), calibration.layout());
    assertEquals(2, calibration.layout().split(",").length);
    assertTrue(calibration.complete());
    assertEquals(List.of(QueryKind.IMAGE, QueryKind.TEXT), calibration.kinds());
  }

  @Test
  void theSameSeedMeasuresTheSameCurves() throws IOException {
    assertEquals(calibration.curves(), calibrate().curves());
  }

  @Test
  void storedCaptionsEmbeddedByAnEncoderAreTextQueries() throws IOException {
    List<String> seen = new ArrayList<>();
    TextQueries captions =
        TextQueries.encodedCaptions(
            "caption",
            batch -> {
              seen.addAll(batch);
              Random r = new Random(batch.size());
              return batch.stream()
                  .map(t -> textOf(sources[Integer.parseInt(t.replaceAll("\\D", ""))], r))
                  .toList();
            });
    RecallCalibration calibration =
        new RecallCalibrator(RecallCalibrator.Settings.defaults().withQueries(50, 50))
            .calibrate(new LuceneCalibrationIndex(reader, FIELD), FIELD, captions)
            .orElseThrow();
    assertEquals(50, seen.size());
    assertTrue(seen.get(0).startsWith("caption of source "));
    assertTrue(calibration.querySources().get(QueryKind.TEXT).contains("caption"));
    assertEquals(50, calibration.curve(QueryKind.TEXT, true).orElseThrow().queries());
  }

  @Test
  void filterCurvesAreMeasuredForEachSelectivity() throws IOException {
    RecallCalibration calibration =
        new RecallCalibrator(
                RecallCalibrator.Settings.defaults()
                    .withQueries(60, 0)
                    .withSelectivities(0.2, 0.02))
            .calibrate(new LuceneCalibrationIndex(reader, FIELD), FIELD, TextQueries.none())
            .orElseThrow();
    Set<Double> selectivities = new HashSet<>();
    calibration.curves().forEach(c -> selectivities.add(c.selectivity()));
    assertEquals(Set.of(1.0, 0.2, 0.02), selectivities);
  }
}
