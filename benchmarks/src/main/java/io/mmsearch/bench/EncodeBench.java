package io.mmsearch.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.training.export.BundleExporter;
import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.model.DualEncoder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch bench encode --model BUNDLE}: per-item latency of the image and text towers of a
 * bundle trained by {@code mmsearch train}, ONNX Runtime (its {@code image.onnx}/{@code text.onnx})
 * versus DJL's PyTorch engine (its {@code pytorch/} weights), on the same weights and the same
 * inputs, at each batch size, single-threaded by default.
 *
 * <p>What is timed: creating the input tensor from a Java array, the model call, and reading the
 * output back into Java; decoding and preprocessing are not (they are shared code, the same for
 * both engines). Text inputs are padded to the bundle's max tokens for ONNX Runtime and trimmed to
 * the longest caption for PyTorch, as each engine's encoder does; ONNX Runtime is also timed on the
 * trimmed batch (the exported text graph's token axis is dynamic), shown with its steps.
 */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description =
        "Encode latency per item, ONNX Runtime vs DJL PyTorch on the same trained weights.")
public final class EncodeBench implements Callable<Integer> {

  @Option(
      names = "--model",
      paramLabel = "BUNDLE",
      description =
          "A bundle written by mmsearch train (with its pytorch/ weights), or one with an image"
              + " backbone (its image path is measured through the serving code).")
  Path model;

  @Option(
      names = "--image-backbone",
      paramLabel = "SIZE",
      description =
          "Instead of --model: the shipped image backbone at SIZE px with a random"
              + " 5568-1024-384 head (speed does not depend on the weights).")
  Integer imageBackboneSize;

  @Option(
      names = "--batches",
      split = ",",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  int[] batches = {1, 32};

  @Option(names = "--threads", description = "Intra-op threads per engine (default: 1).")
  int threads = 1;

  @Option(
      names = "--seconds",
      description = "Measured time per case, after a warm-up of half that (default: 2).")
  double seconds = 2.0;

  @Option(
      names = "--caption-tokens",
      description = "Real tokens per synthetic caption (default: ${DEFAULT-VALUE}).")
  int captionTokens = 6;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if ((model == null) == (imageBackboneSize == null)) {
      System.err.println("bench encode: give --model BUNDLE or --image-backbone SIZE");
      return 2;
    }
    if (imageBackboneSize != null) {
      Path dir = Files.createTempDirectory("bench-image-backbone");
      try {
        imageBackbone()
            .run(
                ModelBundle.open(ImageBackboneEncodeBench.syntheticBundle(imageBackboneSize, dir)),
                batches);
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      return 0;
    }
    ModelBundle bundle = ModelBundle.open(model);
    if (bundle.imageBackboneSpec() != null) {
      imageBackbone().run(bundle, batches);
      if (bundle.textSpec().backbone() != null) {
        System.err.println(
            "bench encode: the text side has a backbone; bench query measures its text queries");
      }
      return 0;
    }
    if (bundle.textSpec().backbone() != null) {
      System.err.println(
          "bench encode: "
              + model
              + " has a text backbone; this bench compares the engines on word-token bundles"
              + " (bench query measures a backbone bundle's text queries end to end)");
      return 2;
    }
    Checkpoint weights = Checkpoint.read(bundle.directory().resolve(BundleExporter.PYTORCH_DIR));
    int s = bundle.imageSpec().size();
    int t = bundle.textSpec().maxTokens();
    int vocabulary = bundle.vocabulary().size();
    Engine.getEngine("PyTorch"); // load libtorch before setting its thread count
    JniUtils.setNumThreads(threads);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Random random = new Random(42);
    if (!json) {
      System.out.printf(
          Locale.ROOT,
          "%s: image %dx%d, text %d tokens (%d real), %d thread(s)%n%-12s %-6s %6s %7s %12s%n",
          bundle.name(),
          s,
          s,
          t,
          captionTokens,
          threads,
          "engine",
          "input",
          "batch",
          "steps",
          "ms/item");
    }
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      DualEncoder torch = weights.loadModel(manager);
      try (OrtSession image = env.createSession(bundle.imageModelFile().toString(), options);
          OrtSession text = env.createSession(bundle.textModelFile().toString(), options)) {
        for (int batch : batches) {
          float[] pixels = new float[batch * 3 * s * s];
          for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
          }
          long[] padded = new long[batch * t];
          long[] trimmed = new long[batch * captionTokens];
          long[] lengths = new long[batch];
          for (int r = 0; r < batch; r++) {
            lengths[r] = captionTokens;
            for (int i = 0; i < captionTokens; i++) {
              long id = 2 + random.nextInt(vocabulary - 2);
              padded[r * t + i] = id;
              trimmed[r * captionTokens + i] = id;
            }
          }
          long[] imageShape = {batch, 3, s, s};
          report(
              "onnxruntime",
              "image",
              batch,
              0,
              measure(
                  batch,
                  () -> {
                    try (OnnxTensor x =
                            OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), imageShape);
                        OrtSession.Result r = image.run(Map.of("pixels", x))) {
                      return ((float[][]) r.get(0).getValue()).length;
                    }
                  }));
          report(
              "pytorch",
              "image",
              batch,
              0,
              measure(
                  batch,
                  () -> {
                    try (NDManager scope = manager.newSubManager()) {
                      return torch
                          .imageTower()
                          .forward(
                              new ParameterStore(scope, false),
                              new NDList(scope.create(pixels, new Shape(imageShape))),
                              false)
                          .head()
                          .toFloatArray()
                          .length;
                    }
                  }));
          for (long[] tokens : new long[][] {padded, trimmed}) {
            int steps = tokens.length / batch;
            report(
                "onnxruntime",
                "text",
                batch,
                steps,
                measure(
                    batch,
                    () -> {
                      try (OnnxTensor x =
                              OnnxTensor.createTensor(
                                  env, LongBuffer.wrap(tokens), new long[] {batch, steps});
                          OnnxTensor l =
                              OnnxTensor.createTensor(
                                  env, LongBuffer.wrap(lengths), new long[] {batch});
                          OrtSession.Result r = text.run(Map.of("tokens", x, "lengths", l))) {
                        return ((float[][]) r.get(0).getValue()).length;
                      }
                    }));
          }
          report(
              "pytorch",
              "text",
              batch,
              captionTokens,
              measure(
                  batch,
                  () -> {
                    try (NDManager scope = manager.newSubManager()) {
                      return torch
                          .textTower()
                          .forward(
                              new ParameterStore(scope, false),
                              new NDList(
                                  scope.create(trimmed, new Shape(batch, captionTokens)),
                                  scope.create(lengths)),
                              false)
                          .head()
                          .toFloatArray()
                          .length;
                    }
                  }));
        }
      }
    }
    return 0;
  }

  private ImageBackboneEncodeBench imageBackbone() {
    return new ImageBackboneEncodeBench(threads, seconds, json);
  }

  @FunctionalInterface
  private interface Call {
    int run() throws OrtException;
  }

  /** Median milliseconds per item over repeated calls, after a warm-up. */
  private double measure(int batch, Call call) throws OrtException {
    long warmupEnd = System.nanoTime() + (long) (seconds * 0.5e9);
    while (System.nanoTime() < warmupEnd) {
      call.run();
    }
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Histogram nanos = new Histogram(3);
    while ((System.nanoTime() < end || nanos.getTotalCount() < 5)
        && nanos.getTotalCount() < (1 << 16)) {
      long start = System.nanoTime();
      call.run();
      nanos.recordValue(System.nanoTime() - start);
    }
    return nanos.getValueAtPercentile(50) / 1e6 / batch;
  }

  private void report(String engine, String modality, int batch, int tokens, double msPerItem)
      throws Exception {
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("bench", "encode");
      line.put("engine", engine);
      line.put("modality", modality);
      line.put("batch", batch);
      line.put("threads", threads);
      if (tokens > 0) {
        line.put("token_steps", tokens);
      }
      line.put("ms_per_item", msPerItem);
      System.out.println(JSON.writeValueAsString(line));
    } else {
      System.out.printf(
          Locale.ROOT,
          "%-12s %-6s %6d %7s %12.4f%n",
          engine,
          modality,
          batch,
          tokens > 0 ? Integer.toString(tokens) : "-",
          msPerItem);
    }
  }
}
