package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.OptimizationLevel;
import io.mmsearch.encoders.bundle.BundleWriter;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.image.PretrainedImageBackbones;
import io.mmsearch.encoders.ort.ImageFeatureExtractor;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The image path of a bundle with an image backbone ({@code image.backbone}, format 3), through the
 * serving code, single-threaded by default: the backbone alone on preprocessed pixels, decoding and
 * preprocessing alone on the sample's real emoji PNGs, and the whole {@code encodeEach} (decode,
 * preprocess, shared backbone session, head, L2) on the same files. Part of {@code bench encode}.
 */
final class ImageBackboneEncodeBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int threads;
  private final double seconds;
  private final boolean json;

  ImageBackboneEncodeBench(int threads, double seconds, boolean json) {
    this.threads = threads;
    this.seconds = seconds;
    this.json = json;
  }

  /**
   * A bundle on the shipped backbone at {@code size} px with a random MLP head of the shape the
   * issue's experiments used ({@code 5568 -> 1024 -> ReLU -> 384}, L2): speed does not depend on
   * the weights, so this measures the path before a trained model exists.
   */
  static Path syntheticBundle(int size, Path dir) throws IOException {
    int f = PretrainedImageBackbones.MOBILENET_V2_NSFWJS.dimension();
    int hidden = 1024;
    int d = 384;
    Random random = new Random(42);
    OnnxGraphBuilder g = new OnnxGraphBuilder("image_head");
    String x = g.input("features", ElementType.FLOAT, Dim.batch(), Dim.of(f));
    String h =
        g.relu(
            g.gemm(
                x,
                g.initializer("w1", gaussian(random, hidden * f, 0.02), hidden, f),
                g.initializer("b1", new float[hidden], hidden),
                true));
    String y =
        g.gemm(h, g.initializer("w2", gaussian(random, d * hidden, 0.03), d, hidden), null, true);
    g.output("embedding", g.l2Normalize(y, 1), ElementType.FLOAT, Dim.batch(), Dim.of(d));
    OnnxGraphBuilder t = new OnnxGraphBuilder("text");
    String tokens = t.input("tokens", ElementType.INT64, Dim.batch(), Dim.of(4));
    t.input("lengths", ElementType.INT64, Dim.batch());
    String table = t.initializer("table", gaussian(random, 3 * d, 1), 3, d);
    t.output(
        "embedding",
        t.l2Normalize(t.reduceMean(t.gather(table, tokens, 0), false, 1), 1),
        ElementType.FLOAT,
        Dim.batch(),
        Dim.of(d));
    BundleWriter.builder()
        .name("bench-mobilenet-" + size)
        .dimension(d)
        .imageSpec(PretrainedImageBackbones.mobileNetV2Input(size))
        .imageBackbone(PretrainedImageBackbones.MOBILENET_V2_NSFWJS)
        .imageModel(g.build().toByteArray())
        .textSpec(new TextInputSpec(TextInputSpec.WORD, "vocab.txt", 4, true))
        .vocabulary(Vocabulary.of(List.of(Vocabulary.PAD, Vocabulary.UNK, "emoji")))
        .textModel(t.build().toByteArray())
        .build()
        .write(dir);
    return dir;
  }

  void run(ModelBundle bundle, int[] batches) throws IOException {
    EngineOptions options = new EngineOptions(threads, OptimizationLevel.ALL, Map.of());
    int size = bundle.imageSpec().size();
    List<byte[]> files = sampleImages(batches);
    if (!json) {
      System.out.printf(
          Locale.ROOT,
          "%s: image backbone %s at %d px, head %s, %d thread(s), load %.1f%n%-20s %6s %12s %12s%n",
          bundle.name(),
          bundle.imageBackboneSpec().name(),
          size,
          bundle.imageModelFile().getFileName(),
          threads,
          BenchInputs.loadAverage(),
          "stage",
          "batch",
          "ms/image",
          "cpu ms/image");
    }
    try (ImageFeatureExtractor fx = ImageFeatureExtractor.open(bundle, options);
        DualEncoder encoders =
            Encoders.open(
                EncoderCriteria.builder()
                    .bundle(bundle)
                    .intraOpThreads(threads)
                    .optimizationLevel(OptimizationLevel.ALL)
                    .build())) {
      ImagePreprocessor preprocessor = fx.preprocessor();
      for (int batch : batches) {
        List<byte[]> batchFiles = files.subList(0, batch);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          names.add("sample image " + i);
        }
        float[] pixels = preprocessor.preprocessBatch(batchFiles, names).tensor();
        report("backbone", batch, measure(batch, () -> fx.features(pixels, batch).length));
        report(
            "decode+preprocess",
            batch,
            measure(batch, () -> preprocessor.preprocessBatch(batchFiles, names).size()));
        report(
            "encodeEach (all)",
            batch,
            measure(
                batch,
                () -> {
                  int ok = 0;
                  for (EncodingResult r : encoders.image().encodeEach(batchFiles, names)) {
                    ok += r.ok() ? 1 : 0;
                  }
                  return ok;
                }));
      }
    }
  }

  /** The first twemoji PNGs of the checkout's sample, enough for the largest batch. */
  private static List<byte[]> sampleImages(int[] batches) throws IOException {
    int most = 1;
    for (int b : batches) {
      most = Math.max(most, b);
    }
    Path folder = BenchInputs.home().resolve("sample-data").resolve("images").resolve("twemoji");
    List<byte[]> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : s.sorted().limit(most).toList()) {
        files.add(Files.readAllBytes(p));
      }
    }
    if (files.size() < most) {
      throw new IOException(folder + " holds " + files.size() + " images, fewer than " + most);
    }
    return files;
  }

  /**
   * Wall and CPU time per image: the median call's wall milliseconds, and the calling thread's CPU
   * milliseconds over all calls divided by the images (with one intra-op thread ONNX Runtime runs
   * its kernels on the calling thread, so on a loaded machine the CPU time is the steadier figure).
   */
  private record Timing(double wallMs, double cpuMs) {}

  private Timing measure(int batch, IntSupplier call) {
    long warmupEnd = System.nanoTime() + (long) (seconds * 0.5e9);
    while (System.nanoTime() < warmupEnd) {
      call.getAsInt();
    }
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Histogram nanos = new Histogram(3);
    long cpuStart = CPU.getCurrentThreadCpuTime();
    while ((System.nanoTime() < end || nanos.getTotalCount() < 5)
        && nanos.getTotalCount() < (1 << 16)) {
      long start = System.nanoTime();
      if (call.getAsInt() != batch) {
        throw new IllegalStateException("a sample image failed to encode");
      }
      nanos.recordValue(System.nanoTime() - start);
    }
    double cpu = (CPU.getCurrentThreadCpuTime() - cpuStart) / 1e6;
    return new Timing(
        nanos.getValueAtPercentile(50) / 1e6 / batch, cpu / nanos.getTotalCount() / batch);
  }

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private void report(String stage, int batch, Timing t) throws IOException {
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("bench", "encode");
      line.put("engine", "onnxruntime");
      line.put("modality", "image");
      line.put("stage", stage);
      line.put("batch", batch);
      line.put("threads", threads);
      line.put("ms_per_item", t.wallMs());
      line.put("cpu_ms_per_item", t.cpuMs());
      System.out.println(JSON.writeValueAsString(line));
    } else {
      System.out.printf(
          Locale.ROOT, "%-20s %6d %12.4f %12.4f%n", stage, batch, t.wallMs(), t.cpuMs());
    }
  }

  private static float[] gaussian(Random random, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }
}
