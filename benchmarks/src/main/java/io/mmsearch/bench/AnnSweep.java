package io.mmsearch.bench;

import io.mmsearch.faiss.FaissFlatIndex;
import io.mmsearch.faiss.FaissHnswIndex;
import io.mmsearch.faiss.NativeFaiss;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.recall.LuceneCalibrationIndex;
import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.rerank.VectorBlock;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.semantics.recall.CandidateChoice;
import io.mmsearch.semantics.recall.QueryKind;
import io.mmsearch.semantics.recall.RecallCalibration;
import io.mmsearch.semantics.recall.RecallCalibrator;
import io.mmsearch.semantics.recall.TextQueries;
import io.mmsearch.tools.ingest.IndexingPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * Everything {@code bench ann} measures on one data set: the exact ground truth from FAISS flat
 * (timed batched and single-query), the pure-Java scan, FAISS HNSW and Lucene HNSW over the grid of
 * formats, M, beam widths, layouts, candidate counts and re-rank, each as an {@link AnnResult};
 * with target recalls, each Lucene index calibrates itself ({@link RecallCalibrator}) and the
 * calibrated default runs beside the fixed counts; with filter shares, every Lucene configuration
 * runs filtered too.
 */
final class AnnSweep {
  private final Settings settings;
  private final AnnDataSet.Vectors v;
  private final int pca;
  private final Consumer<AnnResult> emit;
  private final float[][] q;
  private final int k;
  private final List<String> peers;
  private int[][] truth;
  private final Map<Double, int[][]> filteredTruths = new HashMap<>();
  private double calibrationSeconds;

  /**
   * What a sweep runs, as given on the command line.
   *
   * @param k hits per query
   * @param candidates HNSW candidate counts (Lucene's k, FAISS's efSearch) swept
   * @param reranks with and/or without exact re-rank
   * @param rerankWith the exact scorer's kind
   * @param formats Lucene vector formats
   * @param ms HNSW max connections
   * @param beams HNSW construction beam widths
   * @param layouts Lucene index layouts
   * @param peers of {@code faiss-flat}, {@code faiss-hnsw}, {@code java-flat}
   * @param flatQueries single queries timed on FAISS flat
   * @param javaFlatQueries queries timed on the Java scan
   * @param workDir where indexes are built, or null for the temporary folder
   * @param targetRecalls targets of the calibrated rows (0 entries skipped; none: no calibration)
   * @param filters filter shares in (0, 1) every Lucene configuration also runs with
   * @param seed seeds the calibration's sample
   */
  record Settings(
      int k,
      int[] candidates,
      List<Boolean> reranks,
      String rerankWith,
      VectorFormat[] formats,
      int[] ms,
      int[] beams,
      List<LuceneHnswIndex.Layout> layouts,
      List<String> peers,
      int flatQueries,
      int javaFlatQueries,
      Path workDir,
      double[] targetRecalls,
      double[] filters,
      long seed) {}

  /**
   * @param emit receives every result as it is measured
   */
  AnnSweep(Settings settings, AnnDataSet.Vectors v, int pca, Consumer<AnnResult> emit) {
    this.settings = settings;
    this.v = v;
    this.pca = pca;
    this.emit = emit;
    this.q = v.queries();
    this.k = settings.k();
    this.peers = settings.peers();
  }

  /** Measures every peer and every configuration of the grid. */
  void measure(int[] queryThreads, int builders) throws IOException {
    VectorBlock block = VectorBlock.of(v.docs(), v.dim());
    if (block.size() != v.docCount()) {
      block = VectorBlock.of(Arrays.copyOf(v.docs(), v.docCount() * v.dim()), v.dim());
    }
    try (FaissFlatIndex flat = new FaissFlatIndex(block)) {
      truth = faissFlat(flat, queryThreads);
    }
    if (peers.contains("java-flat")) {
      javaFlat(block);
    }
    for (int m : settings.ms()) {
      for (int beam : settings.beams()) {
        if (peers.contains("faiss-hnsw")) {
          faissHnsw(m, beam, queryThreads, builders);
        }
        for (VectorFormat format : settings.formats()) {
          for (LuceneHnswIndex.Layout layout : settings.layouts()) {
            lucene(format, m, beam, layout, queryThreads, builders);
          }
        }
      }
    }
  }

  /** Ground truth from FAISS flat (batched), timed batched and single-query. */
  private int[][] faissFlat(FaissFlatIndex flat, int[] queryThreads) {
    int[][] exact = null;
    long bytes = (long) v.docCount() * v.dim() * Float.BYTES;
    for (int t : queryThreads) {
      NativeFaiss.setThreads(t);
      flat.search(Arrays.copyOf(q, Math.min(50, q.length)), k); // warm-up
      long start = System.nanoTime();
      ExactHits hits = flat.search(q, k);
      double qps = q.length / ((System.nanoTime() - start) / 1e9);
      if (exact == null) {
        exact = new int[q.length][];
        for (int i = 0; i < q.length; i++) {
          exact[i] = hits.docIds(i);
        }
      }
      if (peers.contains("faiss-flat")) {
        emit(flatRow("faiss", true, t, 1.0, qps, bytes));
      }
    }
    if (peers.contains("faiss-flat")) {
      int n = Math.min(settings.flatQueries(), q.length);
      int[][] truthRef = exact;
      // FAISS as shipped: below 20 queries per call it scans with its own kernels, which beats
      // packing the whole block for sgemm on every single query.
      int threshold = NativeFaiss.blasThreshold();
      NativeFaiss.setBlasThreshold(NativeFaiss.FAISS_DEFAULT_BLAS_THRESHOLD);
      for (int t : queryThreads) {
        QueryTimer.run(
            Math.min(5, n),
            t,
            () -> NativeFaiss.setThreads(1),
            i -> flat.search(new float[][] {q[i]}, k).docIds(0));
        QueryTimer.Timed timed =
            QueryTimer.run(
                n,
                t,
                () -> NativeFaiss.setThreads(1),
                i -> flat.search(new float[][] {q[i]}, k).docIds(0));
        emit(
            flatRow(
                "faiss",
                false,
                t,
                QueryTimer.recall(truthRef, timed.answers(), k),
                timed.qps(),
                bytes));
      }
      NativeFaiss.setBlasThreshold(threshold);
    }
    NativeFaiss.setThreads(1);
    return exact;
  }

  /** The pure-Java scan (Lucene's VectorUtil) on a few queries, one thread. */
  private void javaFlat(VectorBlock block) {
    int n = Math.min(settings.javaFlatQueries(), q.length);
    try (FlatExactIndex java = FlatExactIndex.java(block)) {
      java.search(new float[][] {q[0]}, k); // warm-up
      QueryTimer.Timed timed =
          QueryTimer.run(n, 1, () -> {}, i -> java.search(new float[][] {q[i]}, k).docIds(0));
      emit(
          flatRow(
              "lucene",
              false,
              1,
              QueryTimer.recall(truth, timed.answers(), k),
              timed.qps(),
              (long) v.docCount() * v.dim() * Float.BYTES));
    }
  }

  private AnnResult flatRow(
      String engine, boolean batched, int threads, double recall, double qps, long bytes) {
    return new AnnResult(
        v.data().label(),
        v.docCount(),
        v.dim(),
        engine,
        "flat",
        "float32",
        batched,
        threads,
        null,
        null,
        null,
        null,
        recall,
        qps,
        bytes,
        null,
        null,
        null,
        pca,
        null,
        null,
        null,
        null);
  }

  private void faissHnsw(int m, int beam, int[] queryThreads, int builders) {
    NativeFaiss.setThreads(builders);
    long start = System.nanoTime();
    try (FaissHnswIndex hnsw = new FaissHnswIndex(v.dim(), m, beam)) {
      hnsw.add(v.docs(), v.docCount());
      double build = (System.nanoTime() - start) / 1e9;
      NativeFaiss.setThreads(1);
      long ram = hnsw.vectorBytes() + hnsw.graphBytes();
      AnnBench.log("faiss hnsw M=%d efConstruction=%d built in %.1f s", m, beam, build);
      for (int ef : settings.candidates()) {
        QueryTimer.Search search =
            i -> {
              long[] ids = hnsw.search(q[i], 1, k, ef);
              return Arrays.stream(ids).filter(id -> id >= 0).mapToInt(id -> (int) id).toArray();
            };
        QueryTimer.run(Math.min(200, q.length), 1, () -> NativeFaiss.setThreads(1), search);
        for (int t : queryThreads) {
          QueryTimer.Timed timed =
              QueryTimer.run(q.length, t, () -> NativeFaiss.setThreads(1), search);
          emit(
              new AnnResult(
                  v.data().label(),
                  v.docCount(),
                  v.dim(),
                  "faiss",
                  "hnsw",
                  "float32",
                  false,
                  t,
                  m,
                  beam,
                  ef,
                  false,
                  QueryTimer.recall(truth, timed.answers(), k),
                  timed.qps(),
                  ram,
                  build,
                  null,
                  null,
                  pca,
                  split(timed.answers(), false, truth),
                  split(timed.answers(), true, truth),
                  null,
                  null));
        }
      }
    }
  }

  private void lucene(
      VectorFormat format,
      int m,
      int beam,
      LuceneHnswIndex.Layout layout,
      int[] queryThreads,
      int builders)
      throws IOException {
    Path work =
        Files.createTempDirectory(
            settings.workDir() == null
                ? Path.of(System.getProperty("java.io.tmpdir"))
                : settings.workDir(),
            "mmsearch-ann-");
    try (ExactScorer scorer = ExactScorers.create(settings.rerankWith());
        LuceneHnswIndex index =
            LuceneHnswIndex.build(
                work,
                format,
                m,
                beam,
                v.docs(),
                v.docCount(),
                v.dim(),
                builders,
                layout,
                layout == LuceneHnswIndex.Layout.AS_INDEXED
                    ? AnnSweep::asIndexedByTheTool
                    : iwc -> {})) {
      AnnBench.log(
          "lucene hnsw %s M=%d beam=%d built in %.1f s, %d segment(s)",
          format.label(), m, beam, index.buildSeconds(), index.segments());
      RecallCalibration calibration = calibrate(index, builders);
      boolean[] executors =
          index.segments() > 1 ? new boolean[] {false, true} : new boolean[] {false};
      for (boolean executor : executors) {
        LuceneRun run =
            new LuceneRun(
                index, index.searcher(executor), scorer, format, m, beam, executor, queryThreads);
        for (double share : filterShares()) {
          Filtered filter =
              share >= 1
                  ? new Filtered(null, null, truth)
                  : new Filtered(share, LuceneHnswIndex.filter(share), filteredTruth(share));
          for (int c : settings.candidates()) {
            for (boolean rerank : settings.reranks()) {
              luceneRows(run, i -> c, rerank, filter, null);
            }
          }
          if (calibration != null) {
            calibratedRows(run, calibration, filter);
          }
        }
      }
    } finally {
      deleteRecursively(work);
    }
  }

  /** One searchable Lucene index of the run, as its rows describe it. */
  private record LuceneRun(
      LuceneHnswIndex index,
      IndexSearcher searcher,
      ExactScorer scorer,
      VectorFormat format,
      int m,
      int beam,
      boolean executor,
      int[] queryThreads) {}

  /**
   * A filter of the run: its share (null: none), its Lucene query, and the exact top k of each
   * query among the documents it accepts.
   */
  private record Filtered(Double share, Query query, int[][] truth) {}

  /** 1 (no filter), then each --filters share. */
  private double[] filterShares() {
    return DoubleStream.concat(DoubleStream.of(1.0), Arrays.stream(settings.filters())).toArray();
  }

  /** The exact top k among the rows a filter of this share accepts (FAISS flat, batched). */
  private int[][] filteredTruth(double share) {
    return filteredTruths.computeIfAbsent(
        share,
        s -> {
          int[] rows =
              IntStream.range(0, v.docCount())
                  .filter(row -> LuceneHnswIndex.accepts(row, s))
                  .toArray();
          float[] subset = new float[rows.length * v.dim()];
          for (int i = 0; i < rows.length; i++) {
            System.arraycopy(v.docs(), rows[i] * v.dim(), subset, i * v.dim(), v.dim());
          }
          try (FaissFlatIndex flat = new FaissFlatIndex(VectorBlock.of(subset, v.dim()))) {
            ExactHits hits = flat.search(q, k);
            int[][] exact = new int[q.length][];
            for (int i = 0; i < q.length; i++) {
              exact[i] = Arrays.stream(hits.docIds(i)).map(j -> rows[j]).toArray();
            }
            AnnBench.log("filter %.4f: %d of %d documents", s, rows.length, v.docCount());
            return exact;
          }
        });
  }

  /** Times every query at the count {@code countOf} gives it, on each thread count; emits rows. */
  private void luceneRows(
      LuceneRun run,
      IntUnaryOperator countOf,
      boolean rerank,
      Filtered filter,
      AnnResult.Calibrated calibrated)
      throws IOException {
    ExactScorer r = rerank ? run.scorer() : null;
    QueryTimer.Search search =
        i -> run.index().search(run.searcher(), q[i], countOf.applyAsInt(i), k, r, filter.query());
    QueryTimer.run(Math.min(200, q.length), 1, () -> {}, search); // warm-up
    double meanCount = IntStream.range(0, q.length).map(countOf).average().orElse(0);
    for (int t : run.queryThreads()) {
      QueryTimer.Timed timed = QueryTimer.run(q.length, t, () -> {}, search);
      emit(
          new AnnResult(
              v.data().label(),
              v.docCount(),
              v.dim(),
              "lucene",
              "hnsw",
              run.format().label(),
              false,
              t,
              run.m(),
              run.beam(),
              (int) Math.round(meanCount),
              rerank,
              QueryTimer.recall(filter.truth(), timed.answers(), k),
              timed.qps(),
              run.index().ramBytes(),
              run.index().buildSeconds(),
              run.index().segments(),
              run.executor(),
              pca,
              split(timed.answers(), false, filter.truth()),
              split(timed.answers(), true, filter.truth()),
              filter.share(),
              calibrated));
    }
  }

  /**
   * The index measures its own recall ({@link RecallCalibrator}: default settings, the --filters
   * shares, the data set's caption embeddings as text queries, on the build's threads), timed; null
   * if no target recall is asked for.
   */
  private RecallCalibration calibrate(LuceneHnswIndex index, int threads) throws IOException {
    double[] targets = Arrays.stream(settings.targetRecalls()).filter(t -> t > 0).toArray();
    if (targets.length == 0) {
      return null;
    }
    TextQueries texts =
        v.calibrationTexts().length == 0
            ? TextQueries.none()
            : TextQueries.of(
                List.of(v.calibrationTexts()),
                "caption embeddings of the sample, drawn apart from the queries");
    RecallCalibrator.Settings calibratorSettings =
        RecallCalibrator.Settings.defaults()
            .withSeed(settings.seed())
            .withSelectivities(settings.filters());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    RecallCalibration calibration;
    long start = System.nanoTime();
    try {
      calibration =
          new RecallCalibrator(calibratorSettings, pool)
              .calibrate(
                  new LuceneCalibrationIndex(index.reader(), LuceneHnswIndex.FIELD),
                  LuceneHnswIndex.FIELD,
                  texts)
              .orElseThrow();
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    calibrationSeconds = seconds;
    for (RecallCalibration.Curve c : calibration.curves()) {
      if (c.reranked()) {
        AnnBench.log(
            "calibrated %s queries, filter %s: %s", c.kind().label(), c.selectivity(), c.curve());
      }
    }
    RecallCalibration.Cost cost = calibration.cost();
    AnnBench.log(
        "recall calibration on %d threads in %.1f s = %.1f%% of the build (%.1f s on %d"
            + " threads): truth %.1f s (%,d dot products), %,d searches fetching %,d candidates;"
            + " %s",
        threads,
        seconds,
        100 * seconds / index.buildSeconds(),
        index.buildSeconds(),
        threads,
        cost.truthSeconds(),
        cost.dotProducts(),
        cost.searches(),
        cost.candidates(),
        calibration.describe(k, targets));
    return calibration;
  }

  /**
   * The target-recall default: every query fetches the candidates the calibration chooses for its
   * kind (and the filter's share). For a set with text queries, again with the image curve standing
   * in for text (what an index without text calibration queries would do).
   */
  private void calibratedRows(LuceneRun run, RecallCalibration calibration, Filtered filter)
      throws IOException {
    boolean hasText = calibration.kinds().contains(QueryKind.TEXT);
    double share = filter.share() == null ? 1.0 : filter.share();
    for (double target : settings.targetRecalls()) {
      if (!(target > 0)) {
        continue;
      }
      for (boolean rerank : settings.reranks()) {
        for (boolean textCalibrated :
            hasText ? new boolean[] {true, false} : new boolean[] {true}) {
          int[] counts = new int[q.length];
          double estimate = 0;
          Integer imageCount = null;
          Integer textCount = null;
          for (int i = 0; i < q.length; i++) {
            boolean text = v.isTextQuery(i);
            QueryKind kind = text && textCalibrated ? QueryKind.TEXT : QueryKind.IMAGE;
            CandidateChoice choice = calibration.choose(kind, k, target, share, rerank);
            counts[i] = choice.candidates();
            estimate += choice.estimatedRecall();
            if (text) {
              textCount = counts[i];
            } else {
              imageCount = counts[i];
            }
          }
          luceneRows(
              run,
              i -> counts[i],
              rerank,
              filter,
              new AnnResult.Calibrated(
                  target,
                  estimate / q.length,
                  calibrationSeconds,
                  textCalibrated,
                  imageCount == null ? 0 : imageCount,
                  textCount));
        }
      }
    }
  }

  /**
   * Mean recall@k over the text queries only, or the image queries only; null if the set has no
   * text queries (nothing to split).
   */
  private Double split(int[][] answers, boolean text, int[][] exact) {
    if (v.calibrationTexts().length == 0) {
      return null;
    }
    List<int[]> expected = new ArrayList<>();
    List<int[]> found = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      if (v.isTextQuery(i) == text) {
        expected.add(exact[i]);
        found.add(answers[i]);
      }
    }
    return QueryTimer.recall(expected.toArray(int[][]::new), found.toArray(int[][]::new), k);
  }

  private void emit(AnnResult result) {
    emit.accept(result);
  }

  /** The writer settings of {@code mmsearch index} that decide its segments. */
  private static void asIndexedByTheTool(IndexWriterConfig iwc) {
    iwc.setRAMBufferSizeMB(IndexingPipeline.RAM_BUFFER_MB);
    iwc.setMergePolicy(MultimodalIndexConfig.defaultMergePolicy());
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
