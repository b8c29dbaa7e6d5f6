package io.mmsearch.bench;

import io.mmsearch.faiss.FaissFlatIndex;
import io.mmsearch.faiss.FaissHnswIndex;
import io.mmsearch.faiss.NativeFaiss;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.rerank.VectorBlock;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.tools.ingest.IndexingPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;

/**
 * Everything {@code bench ann} measures on one data set: the exact ground truth from FAISS flat
 * (timed batched and single-query), the pure-Java scan, FAISS HNSW and Lucene HNSW over the grid of
 * formats, M, beam widths, layouts, candidate counts and re-rank, each as an {@link AnnResult}.
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
      Path workDir) {}

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
        pca);
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
                  pca));
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
      boolean[] executors =
          index.segments() > 1 ? new boolean[] {false, true} : new boolean[] {false};
      for (boolean executor : executors) {
        IndexSearcher searcher = index.searcher(executor);
        for (int c : settings.candidates()) {
          for (boolean rerank : settings.reranks()) {
            ExactScorer r = rerank ? scorer : null;
            QueryTimer.Search search = i -> index.search(searcher, q[i], c, k, r);
            QueryTimer.run(Math.min(200, q.length), 1, () -> {}, search); // warm-up
            for (int t : queryThreads) {
              QueryTimer.Timed timed = QueryTimer.run(q.length, t, () -> {}, search);
              emit(
                  new AnnResult(
                      v.data().label(),
                      v.docCount(),
                      v.dim(),
                      "lucene",
                      "hnsw",
                      format.label(),
                      false,
                      t,
                      m,
                      beam,
                      c,
                      rerank,
                      QueryTimer.recall(truth, timed.answers(), k),
                      timed.qps(),
                      index.ramBytes(),
                      index.buildSeconds(),
                      index.segments(),
                      executor,
                      pca));
            }
          }
        }
      }
    } finally {
      deleteRecursively(work);
    }
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
