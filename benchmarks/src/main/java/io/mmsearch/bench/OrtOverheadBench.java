package io.mmsearch.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.bundle.BundleWriter;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch bench ort}: what one ONNX Runtime call costs per batch on graphs so small that
 * the cost is mostly the call itself (JNI crossing, input copy, output allocation, scheduling).
 *
 * <p>Two graphs with random weights, built with {@link OnnxGraphBuilder}: an image graph ({@code
 * pixels [N,3,S,S]} → GlobalAveragePool → Gemm → L2) and a text graph ({@code tokens [N,T]} →
 * Gather → masked mean → Gemm → L2). Three paths per graph and batch size:
 *
 * <ul>
 *   <li>{@code run}: {@code OrtSession.run} on input tensors created once, plus reading the output;
 *   <li>{@code tensor+run}: also creating the input tensors from Java arrays per call (ONNX Runtime
 *       copies a heap buffer into fresh native memory);
 *   <li>{@code direct+run} (image only): copying the array into a reused direct buffer that the
 *       tensor wraps without a further copy;
 *   <li>{@code encoder} (text only): the whole {@link TextEncoder#encodeBatch} path: tokenizing,
 *       tensors, run, unit-length check.
 * </ul>
 */
@Command(
    name = "ort",
    mixinStandardHelpOptions = true,
    description =
        "ONNX Runtime call overhead per batch on small graphs (µs per call and per item).")
public final class OrtOverheadBench implements Callable<Integer> {

  @Option(
      names = "--batches",
      split = ",",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  int[] batches = {1, 8, 32};

  @Option(
      names = "--intra-op-threads",
      description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
  int intraOpThreads = 1;

  @Option(
      names = "--image-size",
      description = "Side of the image graph input (default: ${DEFAULT-VALUE}).")
  int imageSize = ImageInputSpec.defaults().size();

  @Option(
      names = "--seconds",
      description =
          "Measured time per configuration, after a warm-up of half that (default: ${DEFAULT-VALUE}).")
  double seconds = 1.0;

  @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
  boolean json;

  private static final int DIMENSION = 128;
  private static final int VOCABULARY = 1000;
  private static final int TOKEN_WIDTH = 64;

  @Override
  public Integer call() throws Exception {
    int maxTokens = TextInputSpec.defaults().maxTokens();
    Random random = new Random(42);
    byte[] imageGraph = imageGraph(imageSize, random);
    byte[] textGraph = textGraph(maxTokens, random);
    Path folder = Files.createTempDirectory("mmsearch-bench-ort");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      ModelBundle bundle = writeBundle(folder, imageGraph, textGraph, maxTokens);
      if (!json) {
        System.out.printf(
            Locale.ROOT,
            "ONNX Runtime call overhead, %d intra-op thread(s); image graph %dx%dx3 -> %d,"
                + " text graph %d tokens -> %d%n",
            intraOpThreads,
            imageSize,
            imageSize,
            DIMENSION,
            maxTokens,
            DIMENSION);
        System.out.printf(
            Locale.ROOT,
            "%-6s %-11s %6s %9s %12s %12s %12s%n",
            "graph",
            "path",
            "batch",
            "calls",
            "µs/call p50",
            "µs/item p50",
            "µs/call avg");
      }
      try (OrtSession image = env.createSession(imageGraph, options);
          OrtSession text = env.createSession(textGraph, options);
          TextEncoder encoder =
              Encoders.openText(
                  EncoderCriteria.builder()
                      .bundle(bundle)
                      .intraOpThreads(intraOpThreads)
                      .build())) {
        for (int batch : batches) {
          float[] pixels = new float[batch * 3 * imageSize * imageSize];
          for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
          }
          long[] pixelShape = {batch, 3, imageSize, imageSize};
          try (OnnxTensor made =
              OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), pixelShape)) {
            report("image", "run", batch, measure(() -> run(image, Map.of("pixels", made), false)));
          }
          FloatBuffer direct =
              ByteBuffer.allocateDirect(pixels.length * Float.BYTES)
                  .order(ByteOrder.nativeOrder())
                  .asFloatBuffer();
          report(
              "image",
              "direct+run",
              batch,
              measure(
                  () -> {
                    direct.clear().put(pixels).flip();
                    return run(
                        image,
                        Map.of("pixels", OnnxTensor.createTensor(env, direct, pixelShape)),
                        true);
                  }));
          report(
              "image",
              "tensor+run",
              batch,
              measure(
                  () ->
                      run(
                          image,
                          Map.of(
                              "pixels",
                              OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), pixelShape)),
                          true)));

          long[] tokens = new long[batch * maxTokens];
          long[] lengths = new long[batch];
          List<String> texts = new ArrayList<>();
          for (int b = 0; b < batch; b++) {
            int length = 3 + random.nextInt(6);
            lengths[b] = length;
            StringBuilder sb = new StringBuilder();
            for (int t = 0; t < length; t++) {
              tokens[b * maxTokens + t] = 2 + random.nextInt(VOCABULARY - 2);
              sb.append("w").append(tokens[b * maxTokens + t]).append(' ');
            }
            texts.add(sb.toString());
          }
          long[] tokenShape = {batch, maxTokens};
          try (OnnxTensor madeTokens =
                  OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), tokenShape);
              OnnxTensor madeLengths =
                  OnnxTensor.createTensor(env, LongBuffer.wrap(lengths), new long[] {batch})) {
            report(
                "text",
                "run",
                batch,
                measure(
                    () -> run(text, Map.of("tokens", madeTokens, "lengths", madeLengths), false)));
          }
          report(
              "text",
              "tensor+run",
              batch,
              measure(
                  () ->
                      run(
                          text,
                          Map.of(
                              "tokens",
                              OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), tokenShape),
                              "lengths",
                              OnnxTensor.createTensor(
                                  env, LongBuffer.wrap(lengths), new long[] {batch})),
                          true)));
          report("text", "encoder", batch, measure(() -> encoder.encodeBatch(texts).get(0)[0]));
        }
      }
      if (!json) {
        System.out.println(
            "run: OrtSession.run on prepared tensors + output read; tensor+run: plus input tensor"
                + " creation from a heap array; direct+run: plus a copy into a reused direct"
                + " buffer; encoder: TextEncoder.encodeBatch (tokenize, tensors, run,"
                + " normalise). p50 is the median call; avg includes the calls the OS delayed.");
      }
      return 0;
    } finally {
      deleteRecursively(folder);
    }
  }

  /** One timed call; returns a value so the work cannot be optimised away. */
  @FunctionalInterface
  private interface Call {
    float invoke() throws OrtException;
  }

  /** Per-call nanoseconds over {@link #seconds} after a warm-up of half that. */
  private Histogram measure(Call call) throws OrtException {
    float sink = 0;
    long warmupEnd = System.nanoTime() + (long) (seconds * 0.5e9);
    while (System.nanoTime() < warmupEnd) {
      sink += call.invoke();
    }
    Histogram nanos = new Histogram(3);
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long now;
    do {
      long start = System.nanoTime();
      sink += call.invoke();
      now = System.nanoTime();
      nanos.recordValue(now - start);
    } while (now < end);
    if (Float.isNaN(sink)) {
      System.err.println("(a graph returned NaN)");
    }
    return nanos;
  }

  /** Runs, reads the first output fully, closes the inputs if this call created them. */
  private static float run(OrtSession session, Map<String, OnnxTensor> inputs, boolean owned)
      throws OrtException {
    try (OrtSession.Result r = session.run(inputs)) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      return out.get(0);
    } finally {
      if (owned) {
        inputs.values().forEach(OnnxTensor::close);
      }
    }
  }

  private void report(String graph, String path, int batch, Histogram nanos) throws IOException {
    double p50 = nanos.getValueAtPercentile(50) / 1e3;
    double avg = nanos.getMean() / 1e3;
    if (json) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("bench", "ort");
      row.put("graph", graph);
      row.put("path", path);
      row.put("batch", batch);
      row.put("intra_op_threads", intraOpThreads);
      row.put("calls", nanos.getTotalCount());
      row.put("us_per_call_p50", round(p50));
      row.put("us_per_item_p50", round(p50 / batch));
      row.put("us_per_call_avg", round(avg));
      System.out.println(new ObjectMapper().writeValueAsString(row));
    } else {
      System.out.printf(
          Locale.ROOT,
          "%-6s %-11s %6d %9d %12.1f %12.2f %12.1f%n",
          graph,
          path,
          batch,
          nanos.getTotalCount(),
          p50,
          p50 / batch,
          avg);
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static byte[] imageGraph(int size, Random random) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bench_image");
    String x =
        g.input("pixels", ElementType.FLOAT, Dim.batch(), Dim.of(3), Dim.of(size), Dim.of(size));
    String w = g.initializer("w", gaussian(random, DIMENSION * 3), DIMENSION, 3);
    String b = g.initializer("b", gaussian(random, DIMENSION), DIMENSION);
    String y = g.l2Normalize(g.gemm(g.flatten(g.globalAveragePool(x), 1), w, b, true), 1);
    g.output("embedding", y, ElementType.FLOAT, Dim.batch(), Dim.of(DIMENSION));
    return g.build().toByteArray();
  }

  private static byte[] textGraph(int maxTokens, Random random) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("bench_text");
    String tokens = g.input("tokens", ElementType.INT64, Dim.batch(), Dim.of(maxTokens));
    String lengths = g.input("lengths", ElementType.INT64, Dim.batch());
    String table =
        g.initializer("embed", gaussian(random, VOCABULARY * TOKEN_WIDTH), VOCABULARY, TOKEN_WIDTH);
    String w =
        g.initializer("w", gaussian(random, DIMENSION * TOKEN_WIDTH), DIMENSION, TOKEN_WIDTH);
    String b = g.initializer("b", gaussian(random, DIMENSION), DIMENSION);
    // [N,T,E] -> the [T,1,N,E] layout maskedMeanOverTime takes
    String timeMajor = g.unsqueeze(g.transpose(g.gather(table, tokens, 0), 1, 0, 2), 1);
    String y = g.l2Normalize(g.gemm(g.maskedMeanOverTime(timeMajor, lengths), w, b, true), 1);
    g.output("embedding", y, ElementType.FLOAT, Dim.batch(), Dim.of(DIMENSION));
    return g.build().toByteArray();
  }

  /** A bundle around the two graphs, so the encoder path runs exactly as in production. */
  private ModelBundle writeBundle(Path folder, byte[] image, byte[] text, int maxTokens)
      throws IOException {
    List<String> tokens = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK));
    for (int i = 2; i < VOCABULARY; i++) {
      tokens.add("w" + i);
    }
    ImageInputSpec d = ImageInputSpec.defaults();
    return BundleWriter.builder()
        .name("bench-ort")
        .dimension(DIMENSION)
        .imageSpec(new ImageInputSpec(imageSize, 3, d.mean(), d.std(), d.resize(), d.background()))
        .textSpec(new TextInputSpec(TextInputSpec.WORD, "vocab.txt", maxTokens, true))
        .imageModel(image)
        .textModel(text)
        .vocabulary(Vocabulary.of(tokens))
        .build()
        .write(folder.resolve("bundle"));
  }

  private static float[] gaussian(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * 0.1);
    }
    return v;
  }

  private static void deleteRecursively(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
