package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.encoders.cache.QueryVectorCache;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.SearchResults;
import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.semantics.Diversity;
import io.mmsearch.tools.search.SearchSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch bench query}: single-client latency of text and image queries, p50 and p99, on an
 * index of {@code --docs} documents.
 *
 * <p>The index: {@code --real-images} augmented sample images ({@link AugmentedImageSet}) are
 * encoded by the model's real image encoder; the remaining documents carry those vectors with
 * seeded Gaussian noise added and re-normalised, with the source's caption, keywords and class.
 * Encoding 100,000 images would take long on two cores and would not change what is measured: query
 * latency depends on the number of vectors and the graph over them, not on where the vectors came
 * from. The index is written with the vector format of {@code mmsearch index} ({@link
 * VectorFieldConfig#DEFAULT} unless {@code --vector-format} says otherwise), without caption
 * vectors (not searched here), and not force-merged.
 *
 * <p>The queries run as {@code mmsearch search} runs them, through {@link SearchSession} with a
 * {@link SearchRequest}: text queries are the sample's captions, encoded by the real text encoder;
 * image queries are the sample's original image files (the index holds augmented copies), decoded,
 * preprocessed and encoded by the real image encoder; then HNSW search ({@code --oversample}
 * candidates per hit, the request's default unless given), exact re-rank and class facets, top 10.
 * One thread issues the queries one after another; each modality is warmed up first. Right after
 * each measured query, the same query runs again in two timed parts, the encoding alone and the
 * search with the vector given, to show where the time goes.
 *
 * <p>{@code text} and {@code image} run with no query-vector cache, so every query is encoded. The
 * query-cache rows ask {@code --repeated} captions over and over (each asked in the warm-up, so
 * every measured query is a repeat), side by side in one run: {@code repeat} without a cache (every
 * repeat encoded again), {@code repeat+cache} with {@code SearchSession}'s default cache (a repeat
 * is a cache hit), and {@code repeat+cache+div} the same plus the default diversity stages
 * (near-duplicate collapse at the default image cosine and MMR at the default lambda over the top
 * {@link Diversity#DEFAULT_CANDIDATES}), whose cost is its difference to {@code repeat+cache}.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Single-client text and image query latency (p50/p99) at --docs documents. A few thousand"
          + " documents are encoded from real augmented images; the rest carry their vectors"
          + " perturbed and re-normalised (seeded).",
    })
public final class QueryBench implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin SampleCorpusOptions inputs;

  @Option(names = "--docs", description = "Documents in the index (default: ${DEFAULT-VALUE}).")
  int docs = 100_000;

  @Option(
      names = "--real-images",
      description =
          "Documents encoded from real augmented images; the rest are perturbed copies of their"
              + " vectors (default: ${DEFAULT-VALUE}).")
  int realImages = 3000;

  @Option(
      names = "--noise",
      description =
          "Expected L2 norm of the Gaussian noise added to a copied vector before re-normalising"
              + " (default: ${DEFAULT-VALUE}).")
  double noise = 0.3;

  @Option(
      names = "--queries",
      description = "Measured queries per modality (default: ${DEFAULT-VALUE}).")
  int queries = 500;

  @Option(
      names = "--warmup",
      description = "Warm-up queries per modality, not measured (default: ${DEFAULT-VALUE}).")
  int warmup = 200;

  @Option(names = "-k", description = "Hits per query (default: ${DEFAULT-VALUE}).")
  int k = 10;

  @Option(
      names = "--vector-format",
      description =
          "HNSW format of the index: FLOAT32, INT8, INT4 or BINARY (default: mmsearch index's,"
              + " ${DEFAULT-VALUE}).")
  VectorFormat vectorFormat = VectorFieldConfig.DEFAULT.format();

  @Option(
      names = "--oversample",
      description =
          "HNSW candidates per hit before exact re-rank (default: the search request's,"
              + " ${DEFAULT-VALUE}).")
  float oversample = VectorFieldConfig.DEFAULT_OVERSAMPLE;

  @Option(
      names = "--repeated",
      description =
          "Distinct captions the query-cache rows repeat (default: ${DEFAULT-VALUE}); each is"
              + " asked in the warm-up, so every measured query is a repeat.")
  int repeated = 10;

  @Option(names = "--seed", description = "Seed of augmentation, noise and query order.")
  long seed = 42;

  @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (docs < 1
        || realImages < 1
        || queries < 1
        || warmup < 0
        || k < 1
        || repeated < 1
        || noise < 0
        || !(oversample >= 1)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--docs, --real-images, --queries, --repeated, -k and --oversample must be >= 1;"
              + " --warmup and"
              + " --noise >= 0");
    }
    Path bundle = inputs.bundle();
    Path manifest = inputs.manifest();
    try (WorkFolder work = inputs.workFolder("mmsearch-bench-query")) {
      Path index = work.path().resolve("index");
      if (Files.exists(index)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "the work folder " + work.path() + " holds a previous run; pass a new --work-dir");
      }
      List<ManifestEntry> sources = AugmentedImageSet.readSources(manifest);
      long buildStart = System.nanoTime();
      int real = Math.min(realImages, docs);
      AugmentedImageSet corpus =
          AugmentedImageSet.generate(sources, real, seed, work.path().resolve("images"));
      String modelName = build(bundle, corpus, index);
      double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
      int segments;
      try (Directory directory = FSDirectory.open(index);
          DirectoryReader reader = DirectoryReader.open(directory)) {
        segments = reader.leaves().size();
      }

      Random random = new Random(seed);
      List<String> captions =
          new ArrayList<>(
              new LinkedHashSet<>(
                  sources.stream().map(ManifestEntry::caption).filter(c -> !c.isBlank()).toList()));
      Collections.shuffle(captions, random);
      List<ManifestEntry> imageSources = new ArrayList<>(sources);
      Collections.shuffle(imageSources, random);
      List<byte[]> queryImages = new ArrayList<>();
      for (ManifestEntry e : imageSources.subList(0, Math.min(imageSources.size(), 1000))) {
        queryImages.add(Files.readAllBytes(e.image()));
      }

      if (!json) {
        System.out.printf(
            Locale.ROOT,
            "Index: %d documents (%d encoded from real augmented images, %d perturbed copies of"
                + " their vectors, noise %.2f), %d segments, built in %.1f s; model %s%n",
            docs,
            real,
            docs - real,
            noise,
            segments,
            buildSeconds,
            modelName);
        System.out.printf(
            Locale.ROOT,
            "Single client, top %d, %s HNSW, oversample %.2f, exact re-rank and facets as"
                + " `mmsearch search` does; %d warm-up then %d measured queries per modality%n",
            k,
            vectorFormat,
            oversample,
            warmup,
            queries);
        System.out.printf(
            Locale.ROOT,
            "%-16s %8s %8s %8s %8s %8s %9s %9s %11s %11s %9s %9s%n",
            "modality",
            "docs",
            "queries",
            "p50 ms",
            "p99 ms",
            "mean ms",
            "cpu p50",
            "cpu p99",
            "encode p50",
            "search p50",
            "no hits",
            "load avg");
      }
      if (warmup < repeated) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--warmup must be >= --repeated, so that every measured query"
                + " of the query-cache rows is a repeat");
      }
      List<String> repeats = captions.subList(0, Math.min(repeated, captions.size()));
      try (SearchSession session = SearchSession.open(index, bundle, 0)) {
        DualEncoder encoders = session.encoders();
        Function<String, float[]> encodeText = q -> encoders.text().encode(q);
        report(
            "text",
            measure(session, captions, q -> request().text(q).build(), encodeText),
            real,
            segments,
            buildSeconds,
            modelName);
        report(
            "image",
            measure(
                session,
                queryImages,
                q -> request().image(q).build(),
                q -> encoders.image().encode(q, "query image")),
            real,
            segments,
            buildSeconds,
            modelName);
        report(
            "repeat",
            measure(session, repeats, q -> request().text(q).build(), encodeText),
            real,
            segments,
            buildSeconds,
            modelName);
      }
      try (SearchSession cached =
          SearchSession.open(index, bundle, QueryVectorCache.DEFAULT_MAX_ENTRIES)) {
        DualEncoder encoders = cached.encoders();
        Function<String, float[]> encodeText = q -> encoders.text().encode(q);
        report(
            "repeat+cache",
            measure(cached, repeats, q -> request().text(q).build(), encodeText),
            real,
            segments,
            buildSeconds,
            modelName);
        Diversity diverse =
            Diversity.NONE
                .withCollapseHash(true)
                .withCollapseCosine(Diversity.DEFAULT_COLLAPSE_COSINE)
                .withMmr(Diversity.DEFAULT_MMR_LAMBDA);
        report(
            "repeat+cache+div",
            measure(cached, repeats, q -> request().text(q).diversity(diverse).build(), encodeText),
            real,
            segments,
            buildSeconds,
            modelName);
        QueryVectorCache.Stats stats = cached.queryCache();
        if (!json) {
          System.out.printf(
              Locale.ROOT,
              "query cache of the cached session: %d hits, %d misses%n",
              stats.hits(),
              stats.misses());
        }
      }
      if (!json) {
        System.out.println(
            "p50/p99: wall-clock of the whole request (encode + HNSW + exact re-rank + facets +"
                + " stored fields); cpu: CPU time of the querying thread for it (ONNX Runtime's"
                + " own pool threads not counted); encode/search p50: each query timed again right"
                + " after in two parts.");
      }
      return 0;
    }
  }

  /** The settings every measured request shares. */
  private SearchRequest.Builder request() {
    return SearchRequest.builder().k(k).size(k).oversample(oversample);
  }

  /** Latencies of one modality, in nanoseconds. */
  private record Latencies(
      Histogram total,
      Histogram cpu,
      Histogram encode,
      Histogram search,
      int withoutHits,
      double load) {}

  private <Q> Latencies measure(
      SearchSession session,
      List<Q> pool,
      Function<Q, SearchRequest> request,
      Function<Q, float[]> encode)
      throws IOException {
    for (int i = 0; i < warmup; i++) {
      session.search(request.apply(pool.get(i % pool.size())));
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Histogram total = new Histogram(3);
    Histogram cpu = new Histogram(3);
    Histogram encodeNanos = new Histogram(3);
    Histogram searchNanos = new Histogram(3);
    int withoutHits = 0;
    for (int i = 0; i < queries; i++) {
      Q q = pool.get(i % pool.size());
      SearchRequest r = request.apply(q);
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      SearchResults results = session.search(r);
      long t1 = System.nanoTime();
      cpu.recordValue(threads.getCurrentThreadCpuTime() - c0);
      // The same query again in two timed parts, right after, so both see the same machine.
      float[] vector = encode.apply(q);
      long t2 = System.nanoTime();
      session.search(request().vector(vector).build());
      long t3 = System.nanoTime();
      total.recordValue(t1 - t0);
      encodeNanos.recordValue(t2 - t1);
      searchNanos.recordValue(t3 - t2);
      if (results.hits().isEmpty()) {
        withoutHits++;
      }
    }
    return new Latencies(
        total, cpu, encodeNanos, searchNanos, withoutHits, BenchInputs.loadAverage());
  }

  private void report(
      String modality, Latencies l, int real, int segments, double buildSeconds, String modelName) {
    double p50 = ms(l.total(), 50);
    double p99 = ms(l.total(), 99);
    double mean = l.total().getMean() / 1e6;
    double encodeP50 = ms(l.encode(), 50);
    double searchP50 = ms(l.search(), 50);
    double cpuP50 = ms(l.cpu(), 50);
    double cpuP99 = ms(l.cpu(), 99);
    if (json) {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("bench", "query");
      o.put("modality", modality);
      o.put("docs", docs);
      o.put("p50_ms", BenchInputs.round(p50, 3));
      o.put("p99_ms", BenchInputs.round(p99, 3));
      o.put("mean_ms", BenchInputs.round(mean, 3));
      o.put("encode_p50_ms", BenchInputs.round(encodeP50, 3));
      o.put("search_p50_ms", BenchInputs.round(searchP50, 3));
      o.put("thread_cpu_p50_ms", BenchInputs.round(cpuP50, 3));
      o.put("thread_cpu_p99_ms", BenchInputs.round(cpuP99, 3));
      o.put("queries", queries);
      o.put("queries_without_hits", l.withoutHits());
      o.put("k", k);
      o.put("vector_format", vectorFormat.name());
      o.put("oversample", oversample);
      o.put("real_docs", real);
      o.put("segments", segments);
      o.put("build_seconds", BenchInputs.round(buildSeconds, 1));
      o.put("load_average", BenchInputs.round(l.load(), 2));
      o.put("model", modelName);
      System.out.println(o);
    } else {
      System.out.printf(
          Locale.ROOT,
          "%-16s %8d %8d %8.3f %8.3f %8.3f %9.3f %9.3f %11.3f %11.3f %9d %9.2f%n",
          modality,
          docs,
          queries,
          p50,
          p99,
          mean,
          cpuP50,
          cpuP99,
          encodeP50,
          searchP50,
          l.withoutHits(),
          l.load());
    }
  }

  /** A percentile (0-100) of recorded nanoseconds, in milliseconds. */
  private static double ms(Histogram nanos, double percentile) {
    return nanos.getValueAtPercentile(percentile) / 1e6;
  }

  /**
   * Encodes the corpus with the real image encoder, writes {@link #docs} documents and commits.
   * Returns the model's name.
   */
  private String build(Path bundle, AugmentedImageSet corpus, Path index) throws IOException {
    List<AugmentedImageSet.Item> items = corpus.items();
    try (DualEncoder encoders =
        Encoders.open(EncoderCriteria.builder().bundle(bundle).intraOpThreads(1).build())) {
      float[][] vectors = new float[items.size()][];
      int batch = 32;
      try {
        IntStream.range(0, (items.size() + batch - 1) / batch)
            .parallel()
            .forEach(
                b -> {
                  int from = b * batch;
                  int to = Math.min(items.size(), from + batch);
                  List<byte[]> bytes = new ArrayList<>(to - from);
                  List<String> names = new ArrayList<>(to - from);
                  for (AugmentedImageSet.Item item : items.subList(from, to)) {
                    try {
                      bytes.add(Files.readAllBytes(item.file()));
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                    names.add(item.id());
                  }
                  List<EncodingResult> results = encoders.image().encodeEach(bytes, names);
                  for (int i = 0; i < results.size(); i++) {
                    vectors[from + i] = results.get(i).orThrow();
                  }
                });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }

      ModelIdentity identity = new ModelIdentity(encoders.fingerprint(), encoders.dimension());
      VectorFieldConfig vectorConfig = VectorFieldConfig.of(vectorFormat);
      MultimodalIndexConfig config =
          MultimodalIndexConfig.builder(identity)
              .imageVectorConfig(vectorConfig)
              .captionVectorConfig(vectorConfig)
              .writerTuning(iwc -> iwc.setRAMBufferSizeMB(128))
              .build();
      try (Directory directory = FSDirectory.open(index);
          MultimodalIndexWriter writer = MultimodalIndexWriter.open(directory, config)) {
        try {
          IntStream.range(0, docs)
              .parallel()
              .forEach(
                  i -> {
                    AugmentedImageSet.Item item = items.get(i % items.size());
                    float[] vector =
                        i < items.size()
                            ? vectors[i]
                            : perturbed(vectors[i % items.size()], new Random(seed * 31 + i));
                    ImageDocument.Builder doc =
                        ImageDocument.builder(
                                item.fields().withId(String.format(Locale.ROOT, "doc-%07d", i)))
                            .imageVector(vector);
                    try {
                      writer.upsert(doc.build());
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
        writer.commit();
      }
      return encoders.bundle().name();
    }
  }

  /** {@code v} plus Gaussian noise of expected L2 norm {@link #noise}, re-normalised. */
  private float[] perturbed(float[] v, Random random) {
    double sigma = noise / Math.sqrt(v.length);
    float[] out = new float[v.length];
    double norm = 0;
    for (int j = 0; j < v.length; j++) {
      out[j] = (float) (v[j] + random.nextGaussian() * sigma);
      norm += (double) out[j] * out[j];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < v.length; j++) {
      out[j] *= scale;
    }
    return out;
  }
}
