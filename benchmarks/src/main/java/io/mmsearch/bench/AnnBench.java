package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.faiss.NativeFaiss;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
      RerankScorerTimings.print(seed);
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
      AnnSweep.Settings settings =
          new AnnSweep.Settings(
              k,
              candidates,
              reranks.stream().map(AnnBench::onOff).toList(),
              rerankWith,
              formats,
              ms,
              beams,
              layoutList,
              peers,
              flatQueries,
              javaFlatQueries,
              corpus.workDir);
      new AnnSweep(settings, vectors, pca, result -> emit(result, results))
          .measure(queryThreads, builders);
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

  private void emit(AnnResult result, List<AnnResult> results) {
    results.add(result);
    try {
      System.out.println(json ? mapper.writeValueAsString(result.toJson()) : result.toText());
      System.out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void log(String format, Object... args) {
    System.err.println("bench ann: " + String.format(Locale.ROOT, format, args));
  }
}
