package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.faiss.FaissExactScorer;
import io.mmsearch.faiss.FaissFlatIndex;
import io.mmsearch.faiss.FaissHnswIndex;
import io.mmsearch.faiss.NativeFaiss;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.recall.LuceneCalibrationIndex;
import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.rerank.VectorBlock;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.semantics.recall.CandidateChoice;
import io.mmsearch.semantics.recall.QueryKind;
import io.mmsearch.semantics.recall.RecallCalibration;
import io.mmsearch.semantics.recall.RecallCalibrator;
import io.mmsearch.semantics.recall.TextQueries;
import io.mmsearch.tools.ingest.IndexingPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch bench ann}: approximate nearest-neighbour search on three data sets ({@link
 * AnnDataSet}) with the peers side by side in one run: FAISS {@code IndexFlatIP} (single-query and
 * batched), FAISS {@code IndexHNSWFlat} with the same M and construction beam and an efSearch
 * sweep, the pure-Java flat scan, and Lucene HNSW over float32, int8, int4 and binary vectors with
 * and without exact re-rank. Every configuration reports recall@10 against exact search, queries/s
 * on 1 and more query threads, the bytes a search keeps hot, and the build time.
 *
 * <p>Measurement follows Lucene's {@code KnnGraphTester} and FAISS's HNSW benchmarks: warm-up
 * queries first, then all queries timed; HNSW's candidate count (Lucene's {@code k}, FAISS's
 * efSearch) is the sweep parameter and the top 10 candidates are the answer.
 */
@Command(
    name = "ann",
    mixinStandardHelpOptions = true,
    description =
        "Recall@10, queries/s, RAM and build time of Lucene HNSW (float32/int8/int4/binary, with"
            + " and without exact re-rank) against FAISS flat and FAISS HNSW, on the hard,"
            + " real-image and low-rank data sets.")
public final class AnnBench implements Callable<Integer> {

  @Option(
      names = "--data",
      split = ",",
      description = "Data sets: hard, real-image, low-rank (default: real-image).")
  List<String> data = List.of("real-image");

  @Option(names = "--docs", description = "Indexed vectors (default: ${DEFAULT-VALUE}).")
  int docs = 100_000;

  @Option(names = "--queries", description = "Query vectors (default: ${DEFAULT-VALUE}).")
  int queries = 1000;

  @Option(
      names = "--dim",
      description = "Dimensions of the synthetic sets (default: the model's, else 256).")
  Integer dim;

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--k", description = "Hits per query (default: ${DEFAULT-VALUE}).")
  int k = 10;

  @Option(
      names = "--formats",
      split = ",",
      description = "Lucene vector formats: ${COMPLETION-CANDIDATES} (default: all).")
  VectorFormat[] formats = VectorFormat.values();

  @Option(
      names = "--m",
      split = ",",
      description = "HNSW M values (default: mmsearch's default, see VectorFieldConfig).")
  int[] ms = {VectorFieldConfig.DEFAULT.maxConn()};

  @Option(
      names = "--beam",
      split = ",",
      description = "HNSW construction beam widths (default: mmsearch's default).")
  int[] beams = {VectorFieldConfig.DEFAULT.beamWidth()};

  @Option(
      names = "--candidates",
      split = ",",
      description =
          "HNSW candidates per query: Lucene's k, FAISS's efSearch (default: 10,20,40,80,160).")
  int[] candidates = {10, 20, 40, 80, 160};

  @Option(
      names = "--target-recall",
      split = ",",
      description =
          "Target recall@k of the calibrated default rows: each Lucene index calibrates itself once"
              + " (timed beside its build) and every query fetches the candidates the calibration"
              + " chooses for its kind (image or text); 0 for none (default: 0.95,0.98,0.99).")
  double[] targetRecalls = {0.95, 0.98, 0.99};

  @Option(
      names = "--filters",
      split = ",",
      description =
          "Also run every Lucene configuration with a filter accepting each of these shares of the"
              + " documents (a point-range filter on a random bucket, uncorrelated with the"
              + " vectors; recall against the exact top k of the accepted documents), and calibrate"
              + " for them (default: none).")
  double[] filters = {};

  @Option(
      names = "--rerank-with",
      description = "Exact scorer of the re-rank runs: java or faiss (default: ${DEFAULT-VALUE}).")
  String rerankWith = ExactScorers.configuredKind();

  @Option(
      names = "--rerank",
      split = ",",
      paramLabel = "off|on",
      description = "Lucene runs without and/or with exact re-rank: off,on (default: both).")
  List<String> reranks = List.of("off", "on");

  @Option(
      names = "--threads",
      split = ",",
      description = "Query threads (default: 1 and the number of cores).")
  int[] threads;

  @Option(
      names = "--build-threads",
      description = "Threads that build each index (default: the number of cores).")
  Integer buildThreads;

  @Option(
      names = "--layouts",
      split = ",",
      description =
          "Lucene segment layouts: one (forceMerge(1)), tool (as `mmsearch index` leaves it);"
              + " tool runs are searched with and without an executor (default: one).")
  List<String> layouts = List.of("one");

  @Option(
      names = "--peers",
      split = ",",
      description = "Peers besides Lucene HNSW: faiss-flat, faiss-hnsw, java-flat (default: all).")
  List<String> peers = List.of("faiss-flat", "faiss-hnsw", "java-flat");

  @Option(
      names = "--flat-queries",
      description = "Queries timed for single-query FAISS flat (default: ${DEFAULT-VALUE}).")
  int flatQueries = 200;

  @Option(
      names = "--java-flat-queries",
      description = "Queries timed for the Java flat scan (default: ${DEFAULT-VALUE}).")
  int javaFlatQueries = 20;

  @Option(
      names = "--scorer-timings",
      description = "Also time one exact re-rank call, FAISS versus Java (100 and 1000 vectors).")
  boolean scorerTimings;

  @Option(
      names = "--cache-dir",
      description = "Generated vectors, reused by later runs (default: bench-data/ann).")
  Path cacheDir;

  @Mixin SampleCorpusOptions corpus;

  @Option(
      names = "--output-dir",
      description = "Where the plots go, one per data set (default: ${DEFAULT-VALUE}).")
  Path outputDir = Path.of("target", "bench", "ann");

  @Option(names = "--json", description = "One JSON object per line per configuration.")
  boolean json;

  @Option(
      names = "--plot-from",
      paramLabel = "JSONL",
      description =
          "Only draw the plots from the --json output of an earlier run (one per data set), then"
              + " stop.")
  Path plotFrom;

  @Option(
      names = "--generate-only",
      description = "Generate (and cache) the data sets' vectors, print their PCA dimension, stop.")
  boolean generateOnly;

  /** The recall levels of the targets, at which the peers' q/s are compared. */
  private static final double[] RECALL_LEVELS = {0.95, 0.98};

  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    System.setProperty("java.awt.headless", "true");
    if (plotFrom != null) {
      return plotFrom(plotFrom);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    int[] queryThreads =
        threads != null ? threads : cores > 1 ? new int[] {1, cores} : new int[] {1};
    int builders = buildThreads != null ? buildThreads : cores;
    validate(queryThreads, builders);
    List<AnnDataSet> sets = data.stream().map(AnnDataSet::parse).toList();
    List<LuceneHnswIndex.Layout> layoutList = layouts.stream().map(AnnBench::layout).toList();
    NativeFaiss.ensureLoaded();
    log(
        "java %s, max heap %d MB, %d cores, vector API %s, load average %.2f",
        Runtime.version(),
        Runtime.getRuntime().maxMemory() >> 20,
        cores,
        ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "on" : "off",
        BenchInputs.loadAverage());
    VectorCache cache =
        new VectorCache(cacheDir != null ? cacheDir : BenchInputs.home().resolve("bench-data/ann"));
    if (scorerTimings) {
      scorerTimings();
    }
    for (AnnDataSet set : sets) {
      List<AnnResult> results = new ArrayList<>();
      AnnDataSet.Vectors vectors = load(set, cache, builders);
      int pca =
          IntrinsicDimension.pca(
              vectors.docs(), vectors.docCount(), vectors.dim(), 0.9, 20_000, seed);
      log(
          "data %s: %d docs, %d queries, %d dims; %s; PCA components for 90%% of the variance: %d",
          set.label(), vectors.docCount(), queries, vectors.dim(), vectors.description(), pca);
      if (generateOnly) {
        continue;
      }
      Run run = new Run(vectors, pca, results);
      run.measure(queryThreads, builders, layoutList);
      Path png = outputDir.resolve("ann-" + set.label() + "-" + vectors.docCount() + ".png");
      RecallQpsPlot.write(results, set.label(), vectors.docCount(), png);
      log("plot written to %s", png.toAbsolutePath());
      logComparison(results);
    }
    log("load average at the end %.2f", BenchInputs.loadAverage());
    return 0;
  }

  /** Redraws the plots of an earlier run from its JSON lines (other lines are skipped). */
  private int plotFrom(Path jsonl) throws IOException {
    java.util.Map<String, List<AnnResult>> byData = new java.util.LinkedHashMap<>();
    for (String line : Files.readAllLines(jsonl)) {
      int start = line.indexOf('{');
      if (start < 0) {
        continue;
      }
      AnnResult r = AnnResult.fromJson(mapper.readTree(line.substring(start)));
      if (r != null) {
        byData.computeIfAbsent(r.data() + "-" + r.docs(), d -> new ArrayList<>()).add(r);
      }
    }
    for (List<AnnResult> results : byData.values()) {
      AnnResult first = results.get(0);
      Path png = outputDir.resolve("ann-" + first.data() + "-" + first.docs() + ".png");
      RecallQpsPlot.write(results, first.data(), first.docs(), png);
      log("plot written to %s", png.toAbsolutePath());
      logComparison(results);
    }
    return 0;
  }

  /** The target figures of one data set: q/s ratios at equal recall and the RAM shares. */
  private static void logComparison(List<AnnResult> results) {
    AnnResult first = results.get(0);
    log(
        "%s, %d docs: fastest configuration of each HNSW series at equal recall",
        first.data(), first.docs());
    for (EqualRecallComparison.Line line : EqualRecallComparison.atRecall(results, RECALL_LEVELS)) {
      log("  %s", line.toText());
    }
    for (String line : EqualRecallComparison.calibratedAgainstFixed(results)) {
      log("  %s", line);
    }
    EqualRecallComparison.ramShareOfFloat32(results)
        .forEach((format, share) -> log("  RAM %s: %.1f%% of float32's", format, 100 * share));
  }

  private AnnDataSet.Vectors load(AnnDataSet set, VectorCache cache, int threads)
      throws IOException {
    Path model = set == AnnDataSet.REAL_IMAGE ? corpus.bundle() : null;
    int d = dim != null ? dim : 256;
    return set.load(
        new AnnDataSet.Request(docs, queries, d, seed, model, corpus.manifest(), threads), cache);
  }

  private static boolean onOff(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new IllegalArgumentException("--rerank takes off and/or on, got " + value);
    };
  }

  private static LuceneHnswIndex.Layout layout(String label) {
    for (LuceneHnswIndex.Layout l : LuceneHnswIndex.Layout.values()) {
      if (l.label.equalsIgnoreCase(label.trim())) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown layout '" + label + "': use one or tool");
  }

  private void validate(int[] queryThreads, int builders) {
    if (docs < k || queries < 1 || k < 1 || flatQueries < 1 || javaFlatQueries < 1) {
      throw new IllegalArgumentException(
          "need --docs >= --k >= 1, and --queries, --flat-queries, --java-flat-queries >= 1");
    }
    for (double f : filters) {
      if (!(f > 0 && f < 1)) {
        throw new IllegalArgumentException("--filters takes shares in (0, 1), got " + f);
      }
    }
    for (int c : candidates) {
      if (c < k) {
        throw new IllegalArgumentException("--candidates must be >= --k (" + k + "), got " + c);
      }
    }
    for (int t : queryThreads) {
      if (t < 1) {
        throw new IllegalArgumentException("--threads must be >= 1, got " + t);
      }
    }
    if (builders < 1) {
      throw new IllegalArgumentException("--build-threads must be >= 1");
    }
    for (String p : peers) {
      if (!List.of("faiss-flat", "faiss-hnsw", "java-flat").contains(p)) {
        throw new IllegalArgumentException("unknown peer '" + p + "'");
      }
    }
  }

  /** Everything measured on one data set. */
  private final class Run {
    private final AnnDataSet.Vectors v;
    private final int pca;
    private final List<AnnResult> results;
    private final float[][] q;
    private int[][] truth;

    Run(AnnDataSet.Vectors v, int pca, List<AnnResult> results) {
      this.v = v;
      this.pca = pca;
      this.results = results;
      this.q = v.queries();
    }

    void measure(int[] queryThreads, int builders, List<LuceneHnswIndex.Layout> layoutList)
        throws IOException {
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
      for (int m : ms) {
        for (int beam : beams) {
          if (peers.contains("faiss-hnsw")) {
            faissHnsw(m, beam, queryThreads, builders);
          }
          for (VectorFormat format : formats) {
            for (LuceneHnswIndex.Layout layout : layoutList) {
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
        int n = Math.min(flatQueries, q.length);
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
      int n = Math.min(javaFlatQueries, q.length);
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
        log("faiss hnsw M=%d efConstruction=%d built in %.1f s", m, beam, build);
        for (int ef : candidates) {
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
              corpus.workDir == null
                  ? Path.of(System.getProperty("java.io.tmpdir"))
                  : corpus.workDir,
              "mmsearch-ann-");
      try (ExactScorer scorer = ExactScorers.create(rerankWith);
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
                      ? AnnBench::asIndexedByTheTool
                      : iwc -> {})) {
        log(
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
            for (int c : candidates) {
              for (boolean rerank : reranks.stream().map(AnnBench::onOff).toList()) {
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
      return java.util.stream.DoubleStream.concat(
              java.util.stream.DoubleStream.of(1.0), Arrays.stream(filters))
          .toArray();
    }

    private final java.util.Map<Double, int[][]> filteredTruths = new java.util.HashMap<>();

    /** The exact top k among the rows a filter of this share accepts (FAISS flat, batched). */
    private int[][] filteredTruth(double share) {
      return filteredTruths.computeIfAbsent(
          share,
          s -> {
            int[] rows =
                java.util.stream.IntStream.range(0, v.docCount())
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
              log("filter %.4f: %d of %d documents", s, rows.length, v.docCount());
              return exact;
            }
          });
    }

    /**
     * Times every query at the count {@code countOf} gives it, on each thread count; emits rows.
     */
    private void luceneRows(
        LuceneRun run,
        java.util.function.IntUnaryOperator countOf,
        boolean rerank,
        Filtered filter,
        AnnResult.Calibrated calibrated)
        throws IOException {
      ExactScorer r = rerank ? run.scorer() : null;
      QueryTimer.Search search =
          i ->
              run.index().search(run.searcher(), q[i], countOf.applyAsInt(i), k, r, filter.query());
      QueryTimer.run(Math.min(200, q.length), 1, () -> {}, search); // warm-up
      double meanCount =
          java.util.stream.IntStream.range(0, q.length).map(countOf).average().orElse(0);
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
     * shares, the data set's caption embeddings as text queries, on the build's threads), timed;
     * null if no target recall is asked for.
     */
    private RecallCalibration calibrate(LuceneHnswIndex index, int threads) throws IOException {
      if (Arrays.stream(targetRecalls).noneMatch(t -> t > 0)) {
        return null;
      }
      TextQueries texts =
          v.calibrationTexts().length == 0
              ? TextQueries.none()
              : TextQueries.of(
                  List.of(v.calibrationTexts()),
                  "caption embeddings of the sample, drawn apart from the queries");
      RecallCalibrator.Settings settings =
          RecallCalibrator.Settings.defaults().withSeed(seed).withSelectivities(filters);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      RecallCalibration calibration;
      long start = System.nanoTime();
      try {
        calibration =
            new RecallCalibrator(settings, pool)
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
          log("calibrated %s queries, filter %s: %s", c.kind().label(), c.selectivity(), c.curve());
        }
      }
      RecallCalibration.Cost cost = calibration.cost();
      log(
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
          calibration.describe(k, Arrays.stream(targetRecalls).filter(t -> t > 0).toArray()));
      return calibration;
    }

    private double calibrationSeconds;

    /**
     * The target-recall default: every query fetches the candidates the calibration chooses for its
     * kind (and the filter's share). For a set with text queries, again with the image curve
     * standing in for text (what an index without text calibration queries would do).
     */
    private void calibratedRows(LuceneRun run, RecallCalibration calibration, Filtered filter)
        throws IOException {
      boolean hasText = calibration.kinds().contains(QueryKind.TEXT);
      double share = filter.share() == null ? 1.0 : filter.share();
      for (double target : targetRecalls) {
        if (!(target > 0)) {
          continue;
        }
        for (boolean rerank : reranks.stream().map(AnnBench::onOff).toList()) {
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
      results.add(result);
      try {
        System.out.println(json ? mapper.writeValueAsString(result.toJson()) : result.toText());
        System.out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Time of one exact re-rank call for 100 and 1000 candidates of 256 dimensions, FAISS and Java
   * interleaved round by round on the same blocks, median of 7 rounds: the measurement behind
   * {@link io.mmsearch.lucene.rerank.ExactScorers#DEFAULT_KIND}.
   */
  private void scorerTimings() {
    int d = 256;
    java.util.Random random = new java.util.Random(seed);
    float[] query = new float[d];
    for (int j = 0; j < d; j++) {
      query[j] = (float) random.nextGaussian();
    }
    try (ExactScorer faiss = new FaissExactScorer();
        ExactScorer java = new JavaExactScorer()) {
      for (int count : new int[] {100, 1000}) {
        int calls = Math.max(200, 200_000 / count);
        double[][] rounds = new double[2][7];
        for (int round = 0; round < 7; round++) {
          float[] block = new float[count * d];
          for (int i = 0; i < block.length; i++) {
            block[i] = (float) random.nextGaussian();
          }
          rounds[0][round] = usPerCall(faiss, query, block, count, calls);
          rounds[1][round] = usPerCall(java, query, block, count, calls);
        }
        Arrays.sort(rounds[0]);
        Arrays.sort(rounds[1]);
        String line =
            String.format(
                Locale.ROOT,
                "{\"bench\":\"ann-rerank\",\"candidates\":%d,\"dim\":%d,\"faiss_us\":%.2f,\"java_us\":%.2f}",
                count,
                d,
                rounds[0][3],
                rounds[1][3]);
        System.out.println(line);
      }
    }
  }

  private static double usPerCall(
      ExactScorer scorer, float[] query, float[] block, int count, int calls) {
    float sink = 0;
    for (int i = 0; i < calls / 4; i++) {
      sink += scorer.innerProducts(query, block, count)[0];
    }
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      sink += scorer.innerProducts(query, block, count)[0];
    }
    long elapsed = System.nanoTime() - start;
    if (Float.isNaN(sink)) {
      throw new AssertionError("NaN inner product"); // also keeps the JIT from dropping the calls
    }
    return elapsed / 1e3 / calls;
  }

  /** The writer settings of {@code mmsearch index} that decide its segments. */
  private static void asIndexedByTheTool(IndexWriterConfig iwc) {
    iwc.setRAMBufferSizeMB(IndexingPipeline.RAM_BUFFER_MB);
    iwc.setMergePolicy(MultimodalIndexConfig.defaultMergePolicy());
  }

  static void log(String format, Object... args) {
    System.err.println("bench ann: " + String.format(Locale.ROOT, format, args));
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
