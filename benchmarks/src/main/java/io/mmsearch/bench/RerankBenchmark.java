package io.mmsearch.bench;

import io.mmsearch.faiss.FaissExactScorer;
import io.mmsearch.lucene.rerank.ExactRerankQuery;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.schema.MultimodalCodec;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmark of the exact re-rank step of a search: the top 10 of {@code candidates} kNN
 * candidates of a 256-dimensional float32 index, re-scored on their full-precision vectors by each
 * re-rank query a searcher can use:
 *
 * <ul>
 *   <li>{@code lucene}: Lucene's {@code RescoreTopNQuery} over the codec's full-precision rescorer
 *       (what the built-in Java scorer returns, the default);
 *   <li>{@code java-block}: {@link ExactRerankQuery} with the pure-Java block scorer (the vectors
 *       copied into one array, scored with {@code VectorUtil});
 *   <li>{@code faiss}: {@link ExactRerankQuery} with FAISS (one native call per query).
 * </ul>
 *
 * The candidates are rewritten kNN queries made in the set-up (the HNSW walk is not measured). The
 * index (fixed seed) is built once into the temporary folder and reused by every fork. Run with
 * {@code ./mmsearch bench jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx2g",
      "--add-modules=jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED"
    })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RerankBenchmark {
  static final String FIELD = "v";
  static final int DIM = 256;
  static final int K = 10;
  private static final int QUERIES = 64;

  /** Documents in the index. */
  @Param({"50000"})
  public int docs;

  /** kNN candidates re-ranked per query. */
  @Param({"100", "1000"})
  public int candidates;

  /** The re-rank query: {@code lucene}, {@code java-block} or {@code faiss}. */
  @Param({"lucene", "java-block", "faiss"})
  public String path;

  private Directory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;
  private ExactScorer scorer;
  private float[][] targets;
  private Query[] candidateQueries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    setUp(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** Opens (building it first if needed) the index under {@code folder}; for tests too. */
  void setUp(Path folder) throws IOException {
    directory = FSDirectory.open(index(folder, docs));
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    searcher.setQueryCache(null);
    scorer =
        switch (path) {
          case "lucene", "java-block" -> new JavaExactScorer();
          case "faiss" -> new FaissExactScorer();
          default -> throw new IllegalArgumentException("unknown path " + path);
        };
    Random random = new Random(7);
    targets = new float[QUERIES][];
    candidateQueries = new Query[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      targets[q] = unitVector(random);
      candidateQueries[q] =
          searcher.rewrite(new KnnFloatVectorQuery(FIELD, targets[q], candidates));
    }
  }

  /** One query's re-rank: build the query, rewrite it (the scoring) and collect the top k. */
  @Benchmark
  public TopDocs rerank() throws IOException {
    int q = next++ & (QUERIES - 1);
    return searcher.search(rerankQuery(candidateQueries[q], targets[q]), K);
  }

  Query rerankQuery(Query candidateQuery, float[] target) {
    return "java-block".equals(path)
        ? new ExactRerankQuery(candidateQuery, FIELD, target, K, scorer)
        : scorer.rerankQuery(candidateQuery, FIELD, target, K);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    scorer.close();
    reader.close();
    directory.close();
  }

  /** The benchmark index of {@code docs} seeded random unit vectors, built on first use. */
  static Path index(Path folder, int docs) throws IOException {
    Path dir = folder.resolve("mmsearch-jmh-rerank-" + docs + "x" + DIM);
    if (Files.exists(dir.resolve("complete"))) {
      return dir;
    }
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setRAMBufferSizeMB(256)
            // A small graph builds fast; only the stored vectors are re-ranked.
            .setCodec(
                new MultimodalCodec(
                    Map.of(FIELD, new VectorFieldConfig(VectorFormat.FLOAT32, 8, 32))));
    Random random = new Random(42);
    try (Directory d = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(d, config)) {
      for (int i = 0; i < docs; i++) {
        Document doc = new Document();
        doc.add(
            new KnnFloatVectorField(
                FIELD, unitVector(random), VectorSimilarityFunction.DOT_PRODUCT));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
    }
    Files.createFile(dir.resolve("complete"));
    return dir;
  }

  private static float[] unitVector(Random random) {
    float[] v = new float[DIM];
    double norm = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
      norm += (double) v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }
}
