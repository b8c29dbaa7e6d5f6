package io.mmsearch.bench;

import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.schema.VectorFormat;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * One Lucene HNSW index of a benchmark's vectors, built on several threads and then searched: the
 * Lucene side of {@code mmsearch bench ann}. Each document holds the vector and its data-set row
 * (doc values), so answers are compared by row whatever order the threads added them in.
 *
 * <p>Owns the directory, the reader and the search executor; {@link #close()} releases them (the
 * caller deletes the folder).
 */
final class LuceneHnswIndex implements Closeable {
  static final String FIELD = "vec";
  static final String ROW = "row";

  /** How the index is laid out in segments before it is searched. */
  enum Layout {
    /** {@code forceMerge(1)}: one graph. */
    ONE_SEGMENT("one"),
    /** Whatever the writer settings passed in leave, without a forced merge. */
    AS_INDEXED("tool");

    final String label;

    Layout(String label) {
      this.label = label;
    }
  }

  private final Directory directory;
  private final DirectoryReader reader;
  private final int[] docToRow;
  private final double buildSeconds;
  private final long ramBytes;
  private final ExecutorService searchExecutor;

  private LuceneHnswIndex(
      Directory directory, double buildSeconds, long ramBytes, int searchThreads)
      throws IOException {
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    this.buildSeconds = buildSeconds;
    this.ramBytes = ramBytes;
    this.docToRow = new int[reader.maxDoc()];
    for (LeafReaderContext leaf : reader.leaves()) {
      NumericDocValues rows = leaf.reader().getNumericDocValues(ROW);
      for (int d = rows.nextDoc(); d != NumericDocValues.NO_MORE_DOCS; d = rows.nextDoc()) {
        docToRow[leaf.docBase + d] = (int) rows.longValue();
      }
    }
    this.searchExecutor = Executors.newFixedThreadPool(searchThreads);
  }

  /**
   * Indexes rows {@code 0..count-1} of {@code data} on {@code threads} threads.
   *
   * @param writerTuning adjusts the writer (RAM buffer, merge policy) after the defaults here
   */
  static LuceneHnswIndex build(
      Path folder,
      VectorFormat format,
      int m,
      int beam,
      float[] data,
      int count,
      int dim,
      int threads,
      Layout layout,
      Consumer<IndexWriterConfig> writerTuning)
      throws IOException {
    ExecutorService mergeExec = Executors.newFixedThreadPool(threads);
    KnnVectorsFormat vectors = format.knnVectorsFormat(m, beam, threads, mergeExec);
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setCodec(
                new Lucene104Codec() {
                  @Override
                  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return vectors;
                  }
                })
            .setRAMBufferSizeMB(512)
            .setUseCompoundFile(false);
    // Separate files per extension, so that vector and graph bytes can be counted file by file.
    TieredMergePolicy mergePolicy = new TieredMergePolicy();
    mergePolicy.setNoCFSRatio(0);
    config.setMergePolicy(mergePolicy);
    writerTuning.accept(config);
    config.setUseCompoundFile(false);
    config.getMergePolicy().setNoCFSRatio(0);
    Directory dir = FSDirectory.open(folder);
    long start = System.nanoTime();
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          workers.add(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  float[] v = new float[dim];
                  System.arraycopy(data, i * dim, v, 0, dim);
                  Document doc = new Document();
                  doc.add(new KnnFloatVectorField(FIELD, v, VectorSimilarityFunction.DOT_PRODUCT));
                  doc.add(new NumericDocValuesField(ROW, i));
                  writer.addDocument(doc);
                }
                return null;
              });
        }
        new TaskExecutor(pool).invokeAll(workers);
      } finally {
        pool.shutdownNow();
      }
      if (layout == Layout.ONE_SEGMENT) {
        writer.forceMerge(1);
      }
      writer.commit();
    } finally {
      mergeExec.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new LuceneHnswIndex(dir, seconds, hotBytes(folder, format), threads);
  }

  /**
   * The bytes HNSW search reads for every query: the vectors it scores (.vec for float32, the
   * quantized .veq otherwise) plus the graph (.vex). The float32 vectors of a quantized field stay
   * on disk and are read only for the candidates of an exact re-rank.
   */
  private static long hotBytes(Path folder, VectorFormat format) throws IOException {
    return sizeOf(folder, format == VectorFormat.FLOAT32 ? ".vec" : ".veq")
        + sizeOf(folder, ".vex");
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

  double buildSeconds() {
    return buildSeconds;
  }

  long ramBytes() {
    return ramBytes;
  }

  int segments() {
    return reader.leaves().size();
  }

  /**
   * A searcher over this index, searching segments one after another or, with {@code executor}, in
   * parallel on the index's search threads. No query cache: every query is new anyway.
   */
  IndexSearcher searcher(boolean executor) {
    IndexSearcher searcher =
        executor ? new IndexSearcher(reader, searchExecutor) : new IndexSearcher(reader);
    searcher.setQueryCache(null);
    return searcher;
  }

  /**
   * The rows of the top {@code k} of {@code candidates} HNSW candidates, ranked by the approximate
   * score or, with a scorer, by the exact inner product of their float32 vectors ({@link
   * ExactScorer#rerankQuery} around the kNN query, as mmsearch's search runs it).
   */
  int[] search(IndexSearcher searcher, float[] query, int candidates, int k, ExactScorer rerank)
      throws IOException {
    Query knn = new KnnFloatVectorQuery(FIELD, query, candidates);
    TopDocs top =
        rerank == null
            ? searcher.search(knn, candidates)
            : searcher.search(rerank.rerankQuery(knn, FIELD, query, k), k);
    ScoreDoc[] hits = top.scoreDocs;
    int n = Math.min(k, hits.length);
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = docToRow[hits[i].doc];
    }
    return rows;
  }

  @Override
  public void close() throws IOException {
    searchExecutor.shutdownNow();
    reader.close();
    directory.close();
  }
}
