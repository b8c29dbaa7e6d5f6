package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.faiss.FaissExactScorer;
import io.mmsearch.faiss.FaissFlatIndex;
import io.mmsearch.faiss.NativeFaiss;
import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.rerank.VectorBlock;
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
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch bench ann}: Lucene HNSW over float32, int8, int4 and binary-quantized vectors,
 * each searched with oversampling and optional exact re-rank, against FAISS flat exact search as
 * ground truth; plus flat-search baselines and FAISS-vs-Java re-rank timings. Everything is
 * single-threaded (FAISS runs with one OpenMP thread) so that queries/s compare like for like.
 */
@Command(
    name = "ann",
    mixinStandardHelpOptions = true,
    description =
        "Recall@10 and queries/s of quantized Lucene HNSW with oversample + exact re-rank, against"
            + " FAISS flat; re-rank timings FAISS vs Java.")
public final class AnnBench implements Callable<Integer> {
  static final String FIELD = "vec";
  static final String ROW = "row";

  /** The vector formats under test, all Lucene's own (10.5). */
  enum Format {
    FLOAT32,
    INT8,
    INT4,
    BINARY;

    KnnVectorsFormat create(int maxConn, int beamWidth) {
      return switch (this) {
        case FLOAT32 -> new Lucene99HnswVectorsFormat(maxConn, beamWidth);
        case INT8 ->
            new Lucene104HnswScalarQuantizedVectorsFormat(
                ScalarEncoding.UNSIGNED_BYTE, maxConn, beamWidth);
        case INT4 ->
            new Lucene104HnswScalarQuantizedVectorsFormat(
                ScalarEncoding.PACKED_NIBBLE, maxConn, beamWidth);
        case BINARY ->
            new Lucene104HnswScalarQuantizedVectorsFormat(
                ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, maxConn, beamWidth);
      };
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Option(names = "--docs", description = "Indexed vectors (default: ${DEFAULT-VALUE}).")
  int docs = 100_000;

  @Option(names = "--queries", description = "Query vectors (default: ${DEFAULT-VALUE}).")
  int queries = 1000;

  @Option(names = "--dim", description = "Dimensions (default: ${DEFAULT-VALUE}).")
  int dim = 256;

  @Option(names = "--clusters", description = "Cluster centres (default: ${DEFAULT-VALUE}).")
  int clusters = 100;

  @Option(
      names = "--spread",
      description =
          "Norm of the noise around a centre, before normalising (default: ${DEFAULT-VALUE}).")
  double spread = 1.0;

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--k", description = "Hits per query (default: ${DEFAULT-VALUE}).")
  int k = 10;

  @Option(
      names = "--oversample",
      split = ",",
      description = "Oversample factors: fetch k*factor HNSW candidates (default: 1,2,3,5).")
  int[] oversample = {1, 2, 3, 5};

  @Option(
      names = "--formats",
      split = ",",
      description = "Vector formats: ${COMPLETION-CANDIDATES} (default: all).")
  Format[] formats = Format.values();

  @Option(names = "--max-conn", description = "HNSW M (default: ${DEFAULT-VALUE}).")
  int maxConn = Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN;

  @Option(names = "--beam-width", description = "HNSW beam width (default: ${DEFAULT-VALUE}).")
  int beamWidth = Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH;

  @Option(
      names = "--rerank-with",
      description = "Exact scorer for the HNSW re-rank runs: faiss or java (default: configured).")
  String rerankWith;

  @Option(
      names = "--java-flat-queries",
      description = "Queries timed for the Java flat baseline (default: ${DEFAULT-VALUE}).")
  int javaFlatQueries = 100;

  @Option(names = "--output-dir", description = "Where the plot goes (default: ${DEFAULT-VALUE}).")
  Path outputDir = Path.of("target", "bench", "ann");

  @Option(names = "--plot", description = "PNG file (default: <output-dir>/ann-recall-qps.png).")
  Path plot;

  @Option(
      names = "--work-dir",
      description = "Folder for the temporary indexes, deleted afterwards (default: system temp).")
  Path workDir;

  @Option(names = "--json", description = "One JSON object per line per configuration.")
  boolean json;

  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    System.setProperty("java.awt.headless", "true");
    validate();
    NativeFaiss.setThreads(1);
    log(
        "java %s, vector API module %s, FAISS OpenMP threads %d",
        Runtime.version(),
        ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "on" : "off",
        NativeFaiss.threads());
    ClusteredVectors generator = new ClusteredVectors(dim, clusters, spread, seed);
    float[] data = generator.sample(docs, seed + 1);
    float[][] queryVectors = rows(generator.sample(queries, seed + 2), queries);
    VectorBlock block = VectorBlock.of(data, dim);
    List<AnnResult> results = new ArrayList<>();

    try (FlatExactIndex faiss = new FaissFlatIndex(block)) {
      int[][] truth = groundTruth(faiss, queryVectors, results);
      javaFlat(block, queryVectors, truth, faiss, results);
      rerankTimings(data, queryVectors, results);
      searchAllFormats(data, queryVectors, truth, faiss, results);
    }

    Path png = plot != null ? plot : outputDir.resolve("ann-recall-qps.png");
    RecallQpsPlot.write(results, docs, png);
    log("plot written to %s", png.toAbsolutePath());
    if (!json) {
      System.out.println("plot: " + png.toAbsolutePath());
    }
    return 0;
  }

  private void searchAllFormats(
      float[] data,
      float[][] queryVectors,
      int[][] truth,
      FlatExactIndex faiss,
      List<AnnResult> results)
      throws IOException {
    String scorerKind = rerankWith == null ? ExactScorers.configuredKind() : rerankWith;
    Path work =
        Files.createTempDirectory(
            workDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : workDir,
            "mmsearch-ann-");
    try (ExactScorer scorer = ExactScorers.create(scorerKind)) {
      log("HNSW re-rank uses the %s exact scorer", scorer.name());
      for (Format format : formats) {
        Path indexPath = work.resolve(format.label());
        buildIndex(format, indexPath, data);
        searchIndex(format, indexPath, queryVectors, truth, scorer, faiss, results);
        deleteRecursively(indexPath);
      }
    } finally {
      deleteRecursively(work);
    }
  }

  private void validate() {
    if (docs < 1 || queries < 1 || dim < 1 || k < 1 || javaFlatQueries < 1) {
      throw new IllegalArgumentException(
          "--docs, --queries, --dim, --k and --java-flat-queries must be >= 1");
    }
    for (int os : oversample) {
      if (os < 1) {
        throw new IllegalArgumentException("--oversample factors must be >= 1, got " + os);
      }
    }
  }

  /** FAISS flat search over all documents: the ground truth, timed as the faiss-flat baseline. */
  private int[][] groundTruth(
      FlatExactIndex faiss, float[][] queryVectors, List<AnnResult> results) {
    faiss.search(Arrays.copyOf(queryVectors, Math.min(50, queries)), k); // warm-up
    long start = System.nanoTime();
    ExactHits hits = faiss.search(queryVectors, k);
    double seconds = (System.nanoTime() - start) / 1e9;
    int[][] truth = new int[queries][];
    for (int q = 0; q < queries; q++) {
      truth[q] = hits.docIds(q);
    }
    long bytes = (long) docs * dim * Float.BYTES;
    emit(
        results,
        AnnResult.search("faiss-flat", docs, 1.0, queries / seconds, bytes, null, null, null));
    return truth;
  }

  /** FAISS flat queries/s on the first 100 queries, batched: the side-by-side reference. */
  private double faissFlatQps(FlatExactIndex faiss, float[][] queryVectors) {
    float[][] probe = Arrays.copyOf(queryVectors, Math.min(100, queries));
    long start = System.nanoTime();
    faiss.search(probe, k);
    return probe.length / ((System.nanoTime() - start) / 1e9);
  }

  /** The pure-Java flat scan on the first {@code --java-flat-queries} queries. */
  private void javaFlat(
      VectorBlock block,
      float[][] queryVectors,
      int[][] truth,
      FlatExactIndex faiss,
      List<AnnResult> results) {
    int n = Math.min(javaFlatQueries, queries);
    float[][] subset = Arrays.copyOf(queryVectors, n);
    try (FlatExactIndex java = FlatExactIndex.java(block)) {
      java.search(Arrays.copyOf(subset, Math.min(5, n)), k); // warm-up
      double flatBefore = faissFlatQps(faiss, queryVectors);
      long start = System.nanoTime();
      ExactHits hits = java.search(subset, k);
      double seconds = (System.nanoTime() - start) / 1e9;
      double flatAfter = faissFlatQps(faiss, queryVectors);
      double recall = 0;
      for (int q = 0; q < n; q++) {
        recall += recall(truth[q], hits.docIds(q));
      }
      long bytes = (long) docs * dim * Float.BYTES;
      emit(
          results,
          AnnResult.search(
              "java-flat",
              docs,
              recall / n,
              n / seconds,
              bytes,
              null,
              null,
              2 / (1 / flatBefore + 1 / flatAfter)));
    }
  }

  /**
   * Time of one exact re-rank call for 100 and 1000 candidates, FAISS and Java interleaved round by
   * round on the same blocks so that machine noise hits both; the median round is reported.
   */
  private void rerankTimings(float[] data, float[][] queryVectors, List<AnnResult> results) {
    try (ExactScorer faiss = new FaissExactScorer();
        ExactScorer java = new JavaExactScorer()) {
      for (int candidates : new int[] {100, 1000}) {
        int count = Math.min(candidates, docs);
        int calls = Math.max(200, 200_000 / count);
        double[][] rounds = new double[2][7];
        for (int round = 0; round < rounds[0].length; round++) {
          int offset = (round * 7919 % Math.max(1, docs - count + 1)) * dim;
          float[] block = Arrays.copyOfRange(data, offset, offset + count * dim);
          rounds[0][round] = usPerCall(faiss, queryVectors, block, count, calls);
          rounds[1][round] = usPerCall(java, queryVectors, block, count, calls);
        }
        emit(results, AnnResult.rerankTiming("rerank-faiss-" + count, docs, median(rounds[0])));
        emit(results, AnnResult.rerankTiming("rerank-java-" + count, docs, median(rounds[1])));
      }
    }
  }

  private static double usPerCall(
      ExactScorer scorer, float[][] queryVectors, float[] block, int count, int calls) {
    float sink = 0;
    for (int i = 0; i < calls / 4; i++) { // warm-up
      sink += scorer.innerProducts(queryVectors[i % queryVectors.length], block, count)[0];
    }
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      sink += scorer.innerProducts(queryVectors[i % queryVectors.length], block, count)[0];
    }
    long elapsed = System.nanoTime() - start;
    if (Float.isNaN(sink)) {
      throw new AssertionError("NaN inner product"); // also keeps the JIT from dropping the calls
    }
    return elapsed / 1e3 / calls;
  }

  private void buildIndex(Format format, Path path, float[] data) throws IOException {
    KnnVectorsFormat vectorsFormat = format.create(maxConn, beamWidth);
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setCodec(
                new Lucene104Codec() {
                  @Override
                  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return vectorsFormat;
                  }
                })
            .setRAMBufferSizeMB(512)
            .setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH)
            .setUseCompoundFile(false);
    // Separate files per extension, so vector bytes can be counted file by file.
    TieredMergePolicy mergePolicy = new TieredMergePolicy();
    mergePolicy.setNoCFSRatio(0);
    config.setMergePolicy(mergePolicy);
    long start = System.nanoTime();
    try (Directory dir = FSDirectory.open(path);
        IndexWriter writer = new IndexWriter(dir, config)) {
      for (int i = 0; i < docs; i++) {
        Document doc = new Document();
        doc.add(
            new KnnFloatVectorField(
                FIELD,
                Arrays.copyOfRange(data, i * dim, (i + 1) * dim),
                VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new NumericDocValuesField(ROW, i));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
      writer.commit();
    }
    log(
        "indexed %d docs as hnsw-%s in %.1f s",
        docs, format.label(), (System.nanoTime() - start) / 1e9);
  }

  private void searchIndex(
      Format format,
      Path path,
      float[][] queryVectors,
      int[][] truth,
      ExactScorer reranker,
      FlatExactIndex faiss,
      List<AnnResult> results)
      throws IOException {
    long[] bytes = vectorFileBytes(path, format);
    try (Directory dir = FSDirectory.open(path);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      if (reader.leaves().size() != 1) {
        throw new IllegalStateException(
            "expected one segment after forceMerge(1), got " + reader.leaves().size());
      }
      int[] docToRow = docToRow(reader.leaves().get(0).reader());
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setQueryCache(null);
      for (int os : oversample) {
        int fetch = k * os;
        int warmup = Math.min(200, queries);
        for (int q = 0; q < warmup; q++) {
          Query candidates =
              searcher.rewrite(new KnnFloatVectorQuery(FIELD, queryVectors[q], fetch));
          searcher.search(candidates, fetch);
          rerank(searcher, reranker, candidates, queryVectors[q]);
        }
        double flatBefore = faissFlatQps(faiss, queryVectors);
        long searchNanos = 0;
        long rerankNanos = 0;
        double recall = 0;
        double rerankedRecall = 0;
        for (int q = 0; q < queries; q++) {
          long t0 = System.nanoTime();
          Query candidates =
              searcher.rewrite(new KnnFloatVectorQuery(FIELD, queryVectors[q], fetch));
          TopDocs td = searcher.search(candidates, fetch);
          long t1 = System.nanoTime();
          TopDocs reranked = rerank(searcher, reranker, candidates, queryVectors[q]);
          long t2 = System.nanoTime();
          searchNanos += t1 - t0;
          rerankNanos += t2 - t1;
          recall += recall(truth[q], rowsOf(td.scoreDocs, k, docToRow));
          rerankedRecall += recall(truth[q], rowsOf(reranked.scoreDocs, k, docToRow));
        }
        double flatAfter = faissFlatQps(faiss, queryVectors);
        // Harmonic mean: total probe queries over total probe time.
        double flatNearby = 2 / (1 / flatBefore + 1 / flatAfter);
        String name = "hnsw-" + format.label() + "-os" + os;
        emit(
            results,
            AnnResult.search(
                name,
                docs,
                recall / queries,
                queries / (searchNanos / 1e9),
                bytes[0],
                bytes[1],
                bytes[2],
                flatNearby));
        emit(
            results,
            AnnResult.search(
                name + "-rerank",
                docs,
                rerankedRecall / queries,
                queries / ((searchNanos + rerankNanos) / 1e9),
                bytes[0],
                bytes[1],
                bytes[2],
                flatNearby));
      }
    }
  }

  /** The exact top k of the candidates, by the scorer's re-rank query (as searches run it). */
  private TopDocs rerank(IndexSearcher searcher, ExactScorer scorer, Query candidates, float[] q)
      throws IOException {
    return searcher.search(scorer.rerankQuery(candidates, FIELD, q, k), k);
  }

  /**
   * {vector bytes, graph bytes, all vector-format bytes}: the vectors HNSW scores are the raw
   * floats (.vec) for float32 and the quantized codes (.veq) otherwise; the graph is .vex; disk
   * adds the metadata files and, for quantized formats, the raw floats Lucene keeps for re-scoring.
   */
  private static long[] vectorFileBytes(Path index, Format format) throws IOException {
    long vec = sizeOf(index, ".vec");
    long veq = sizeOf(index, ".veq");
    long vex = sizeOf(index, ".vex");
    long meta = sizeOf(index, ".vemf") + sizeOf(index, ".vemq") + sizeOf(index, ".vem");
    long scored = format == Format.FLOAT32 ? vec : veq;
    return new long[] {scored, vex, vec + veq + vex + meta};
  }

  private static long sizeOf(Path dir, String extension) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(extension))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  private static int[] docToRow(LeafReader leaf) throws IOException {
    int[] rows = new int[leaf.maxDoc()];
    NumericDocValues values = leaf.getNumericDocValues(ROW);
    for (int doc = values.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = values.nextDoc()) {
      rows[doc] = (int) values.longValue();
    }
    return rows;
  }

  private static int[] rowsOf(ScoreDoc[] hits, int k, int[] docToRow) {
    int n = Math.min(k, hits.length);
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = docToRow[hits[i].doc];
    }
    return rows;
  }

  private static double recall(int[] truth, int[] found) {
    int hit = 0;
    for (int t : truth) {
      for (int f : found) {
        if (t == f) {
          hit++;
          break;
        }
      }
    }
    return truth.length == 0 ? 1 : (double) hit / truth.length;
  }

  private float[][] rows(float[] data, int n) {
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
    }
    return out;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private void emit(List<AnnResult> results, AnnResult result) {
    results.add(result);
    try {
      System.out.println(json ? mapper.writeValueAsString(result.toJson()) : result.toText());
      System.out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void log(String format, Object... args) {
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
