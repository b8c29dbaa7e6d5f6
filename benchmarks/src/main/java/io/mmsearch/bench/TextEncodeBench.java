package io.mmsearch.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.OptimizationLevel;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.bundle.BackboneFile;
import io.mmsearch.encoders.bundle.BundleWriter;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.ort.TextFeatureExtractor;
import io.mmsearch.encoders.text.PretrainedBackbones;
import io.mmsearch.encoders.text.SubwordBatch;
import io.mmsearch.encoders.text.SubwordIds;
import io.mmsearch.encoders.text.SubwordTokenizer;
import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.OnnxGraphBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mmsearch bench text}: latency of turning a text query into a vector, stage by stage, on
 * the sample's captions (shuffled, seeded), one thread by default: the all-MiniLM-L6-v2 tokenizer
 * alone; MiniLM called directly through the ONNX Runtime API on pre-tokenized ids (the floor);
 * tokenizer + MiniLM + mean pooling ({@link TextFeatureExtractor}); the whole text encoder of a
 * MiniLM bundle (tokenizer → backbone → pooling → a {@code 384 → D} head → L2; the head of a bundle
 * given with {@code --model} if it has the MiniLM backbone, else a random head of the default
 * model's dimension, whose cost is that of a trained one); and, side by side, the text encoder of
 * the {@code --model} (default: the shipped default model) whatever its kind.
 *
 * <p>Batch 1 is timed per call (p50, p99, mean); larger batches report the mean per text. Each case
 * also reports the calling thread's CPU time (p50 per call, mean per text): with one intra-op
 * thread ONNX Runtime computes on the calling thread, so this is the cost on a core of its own,
 * which wall time on a loaded machine is not.
 */
@Command(
    name = "text",
    mixinStandardHelpOptions = true,
    description = "Text query encoding latency: tokenizer, MiniLM features, whole text encoder.")
public final class TextEncodeBench implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "BUNDLE",
      description = "A bundle whose text encoder to time too (default: the shipped model).")
  Path model;

  @Option(
      names = "--samples",
      paramLabel = "MANIFEST",
      description =
          "Manifest whose captions are the queries (default: sample-data/manifest.jsonl).")
  Path samples;

  @Option(
      names = "--max-tokens",
      description = "MiniLM max tokens, special ones included (default: ${DEFAULT-VALUE}).")
  int maxTokens = 64;

  @Option(names = "--threads", description = "Intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads = 1;

  @Option(
      names = "--batches",
      split = ",",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  int[] batches = {1, 32};

  @Option(names = "--queries", description = "Measured texts per case (default: ${DEFAULT-VALUE}).")
  int queries = 500;

  @Option(
      names = "--warmup",
      description = "Texts encoded before measuring each case (default: ${DEFAULT-VALUE}).")
  int warmup = 100;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * With one intra-op thread ONNX Runtime runs the graph on the calling thread, so the caller's CPU
   * time is the work done, whatever share of a core the shared machine gave it.
   */
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Override
  public Integer call() throws Exception {
    if (queries < 1 || warmup < 0 || threads < 1 || maxTokens < 2) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--queries and --threads must be >= 1, --warmup >= 0, --max-tokens >= 2");
    }
    Path bundlePath = BenchInputs.model(model, spec.commandLine());
    ModelBundle bundle = ModelBundle.open(bundlePath);
    List<String> texts = captions(samples != null ? samples : BenchInputs.sampleManifest());
    EngineOptions options = new EngineOptions(threads, OptimizationLevel.ALL, Map.of());
    if (!json) {
      System.out.printf(
          Locale.ROOT,
          "%d distinct captions, %d thread(s), load average %.2f%n%-34s %6s %9s %9s %9s %9s %12s%n",
          texts.size(),
          threads,
          BenchInputs.loadAverage(),
          "stage",
          "batch",
          "p50 ms",
          "p99 ms",
          "ms/text",
          "cpu p50",
          "cpu ms/text");
    }
    Path work = Files.createTempDirectory("mmsearch-bench-text");
    try (SubwordTokenizer tokenizer =
            SubwordTokenizer.read(
                PretrainedBackbones.miniLmTokenizerJson(), "minilm", maxTokens, false);
        TextFeatureExtractor features = TextFeatureExtractor.miniLm(maxTokens, options);
        TextEncoder miniLmBundle = miniLmEncoder(bundle, work, options);
        TextEncoder given =
            Encoders.openText(
                EncoderCriteria.builder().bundle(bundle).intraOpThreads(threads).build());
        BareSession bare = new BareSession(threads)) {
      Map<String, SubwordIds> tokenized = new java.util.HashMap<>();
      for (String t : texts) {
        tokenized.put(t, tokenizer.tokenize(t));
      }
      for (int batch : batches) {
        measure("tokenizer (MiniLM)", batch, texts, b -> tokenize(tokenizer, b));
        measure(
            "MiniLM bare session.run",
            batch,
            texts,
            b -> bare.run(SubwordBatch.pad(b.stream().map(tokenized::get).toList(), 0, 0)));
        measure("MiniLM features (tok+onnx+pool)", batch, texts, b -> features.features(b).length);
        measure(
            "MiniLM bundle text encoder", batch, texts, b -> miniLmBundle.encodeBatch(b).size());
        measure("--model " + bundle.name(), batch, texts, b -> given.encodeBatch(b).size());
      }
    } finally {
      try (var files = Files.list(work)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(work);
    }
    return 0;
  }

  /**
   * all-MiniLM-L6-v2 called directly through the ONNX Runtime API on pre-tokenized ids: tensors
   * from arrays, run, read {@code last_hidden_state}; no pooling, no head. The floor the encoder's
   * own overhead is measured against.
   */
  private static final class BareSession implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    BareSession(int threads) throws Exception {
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        o.setIntraOpNumThreads(threads);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session =
            env.createSession(
                BackboneFile.locate(null, PretrainedBackbones.MINILM_L6_V2).readVerified(), o);
      }
    }

    int run(SubwordBatch b) {
      long[] shape = {b.size(), b.seq()};
      try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(b.ids()), shape);
          OnnxTensor mask =
              OnnxTensor.createTensor(env, LongBuffer.wrap(b.attentionMask()), shape);
          OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(b.typeIds()), shape);
          OrtSession.Result r =
              session.run(
                  Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
        FloatBuffer out = ((OnnxTensor) r.get("last_hidden_state").orElseThrow()).getFloatBuffer();
        float[] copy = new float[out.remaining()];
        out.get(copy);
        return copy.length;
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws OrtException {
      session.close();
    }
  }

  private static int tokenize(SubwordTokenizer tokenizer, List<String> batch) {
    int n = 0;
    for (String t : batch) {
      n += tokenizer.tokenize(t).length();
    }
    return n;
  }

  /** The given bundle's text encoder if it is on MiniLM, else MiniLM with a random head. */
  private TextEncoder miniLmEncoder(ModelBundle bundle, Path work, EngineOptions options)
      throws Exception {
    ModelBundle target = bundle;
    if (bundle.textSpec().backbone() == null
        || !bundle.textSpec().backbone().equals(PretrainedBackbones.MINILM_L6_V2)) {
      int d = bundle.dimension();
      int f = PretrainedBackbones.MINILM_L6_V2.dimension();
      Random random = new Random(1);
      float[] w = new float[d * f];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) random.nextGaussian();
      }
      OnnxGraphBuilder g = new OnnxGraphBuilder("random_head");
      String x = g.input("features", ElementType.FLOAT, Dim.batch(), Dim.of(f));
      String y = g.gemm(x, g.initializer("w", w, d, f), g.initializer("b", new float[d], d), true);
      g.output("embedding", g.l2Normalize(y, 1), ElementType.FLOAT, Dim.batch(), Dim.of(d));
      target =
          BundleWriter.builder()
              .name("minilm-random-head")
              .dimension(d)
              .imageSpec(bundle.imageSpec())
              .imageModel(Files.readAllBytes(bundle.imageModelFile()))
              .textSpec(TextFeatureExtractor.miniLmSpec(maxTokens))
              .tokenizerJson(PretrainedBackbones.miniLmTokenizerJson())
              .textModel(g.build().toByteArray())
              .build()
              .write(work);
    }
    return Encoders.openText(
        EncoderCriteria.builder()
            .bundle(target)
            .intraOpThreads(options.intraOpThreads())
            .optimizationLevel(options.optimizationLevel())
            .build());
  }

  private static List<String> captions(Path manifest) throws Exception {
    List<String> texts = new ArrayList<>();
    for (ManifestEntry e : AugmentedImageSet.readSources(manifest)) {
      texts.add(e.caption());
    }
    texts = new ArrayList<>(new LinkedHashSet<>(texts));
    texts.removeIf(String::isBlank);
    Collections.shuffle(texts, new Random(42));
    return texts;
  }

  private void measure(
      String stage, int batch, List<String> texts, Function<List<String>, Integer> run)
      throws Exception {
    int calls = Math.max(1, queries / batch);
    int warmCalls = Math.max(1, warmup / batch);
    int cursor = 0;
    for (int i = 0; i < warmCalls; i++) {
      run.apply(slice(texts, cursor, batch));
      cursor += batch;
    }
    Histogram nanos = new Histogram(3);
    Histogram cpuNanos = new Histogram(3);
    for (int i = 0; i < calls; i++) {
      List<String> b = slice(texts, cursor, batch);
      cursor += batch;
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      run.apply(b);
      nanos.recordValue(System.nanoTime() - start);
      cpuNanos.recordValue(THREADS.getCurrentThreadCpuTime() - cpuStart);
    }
    double p50 = nanos.getValueAtPercentile(50) / 1e6;
    double p99 = nanos.getValueAtPercentile(99) / 1e6;
    double perText = nanos.getMean() / 1e6 / batch;
    double cpuP50 = cpuNanos.getValueAtPercentile(50) / 1e6;
    double cpuPerText = cpuNanos.getMean() / 1e6 / batch;
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("bench", "text");
      o.put("stage", stage);
      o.put("batch", batch);
      o.put("threads", threads);
      o.put("calls", calls);
      o.put("p50_ms", BenchInputs.round(p50, 3));
      o.put("p99_ms", BenchInputs.round(p99, 3));
      o.put("ms_per_text", BenchInputs.round(perText, 3));
      o.put("cpu_p50_ms", BenchInputs.round(cpuP50, 3));
      o.put("cpu_ms_per_text", BenchInputs.round(cpuPerText, 3));
      o.put("load_average", BenchInputs.round(BenchInputs.loadAverage(), 2));
      System.out.println(JSON.writeValueAsString(o));
    } else {
      System.out.printf(
          Locale.ROOT,
          "%-34s %6d %9.3f %9.3f %9.3f %9.3f %12.3f%n",
          stage,
          batch,
          p50,
          p99,
          perText,
          cpuP50,
          cpuPerText);
    }
  }

  private static List<String> slice(List<String> texts, int from, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(texts.get((from + i) % texts.size()));
    }
    return out;
  }
}
