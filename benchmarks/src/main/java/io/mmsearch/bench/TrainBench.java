package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.training.data.BackboneFeatures;
import io.mmsearch.training.data.DatasetSplit.SplitBy;
import io.mmsearch.training.data.TextFeatureCache;
import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.EpochMetrics;
import io.mmsearch.training.loop.TrainingConfig;
import io.mmsearch.training.loop.TrainingOutcome;
import io.mmsearch.training.model.TextTowerKind;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch bench train}: training throughput (images per second) of the default model at its
 * default 64 px input, measured by running real training epochs with the production loop
 * (augmentation on the loader thread, forward, backward, gradient clipping, AdamW) and no
 * validation. The first epoch is a warm-up (libtorch allocator and kernels); the figure is the mean
 * of the following ones, with the breakdown of where the step time went. With the default text
 * tower (a head on frozen MiniLM features) the backbone features come from the feature cache and
 * are computed before the first epoch, so they are not in the figure; the time they took is printed
 * on its own.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Training images/s of the default dual encoder (64 px), with a time breakdown.")
public final class TrainBench implements Callable<Integer> {

  @Option(
      names = "--data",
      paramLabel = "MANIFEST",
      description = "Training data (default: sample-data/manifest.jsonl).")
  Path data = Path.of("sample-data", "manifest.jsonl");

  @Option(names = "--epochs", description = "Measured epochs after the warm-up (default: 1).")
  int epochs = 1;

  @Option(names = "--batch-size", description = "Batch size (default: the training default).")
  Integer batchSize;

  @Option(
      names = "--threads",
      description = "libtorch intra-op threads (default 0: one per core less the loader's).")
  int threads;

  @Option(
      names = "--feature-cache",
      paramLabel = "DIR",
      description = "Backbone feature cache (default data-cache/text-features).")
  Path featureCache = Path.of("data-cache", "text-features");

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(data)) {
      System.err.println("bench train: no data at " + data + " (pass --data MANIFEST)");
      return 2;
    }
    TrainingConfig.Builder builder =
        TrainingConfig.builder().epochs(epochs + 1).validation(0, SplitBy.ID);
    if (batchSize != null) {
      builder.batchSize(batchSize);
    }
    builder.torchThreads(threads);
    TrainingConfig config = builder.build();
    Path out = Files.createTempDirectory("mmsearch-bench-train");
    try (BackboneFeatures backbone =
        config.textTower() == TextTowerKind.BACKBONE_HEAD
            ? BackboneFeatures.miniLm(config.maxTokens())
            : null) {
      TextFeatureCache features =
          backbone == null ? null : TextFeatureCache.open(backbone, featureCache);
      TrainingOutcome outcome =
          new DualEncoderTrainer(
                  config, new PrintStream(OutputStream.nullOutputStream()), false, features)
              .train(data, out, false);
      if (features != null && !json) {
        System.out.printf(
            Locale.ROOT,
            "backbone features: %d new caption(s) encoded, %d cached (%s)%n",
            features.computed(),
            features.size(),
            featureCache);
      }
      var measured = outcome.history().subList(1, outcome.history().size());
      double imagesPerSecond =
          measured.stream().mapToDouble(EpochMetrics::imagesPerSecond).average().orElseThrow();
      double waiting = measured.stream().mapToDouble(m -> m.timings().waitingForData()).sum();
      double tensors = measured.stream().mapToDouble(m -> m.timings().tensors()).sum();
      double compute = measured.stream().mapToDouble(m -> m.timings().forwardBackward()).sum();
      double optimizer = measured.stream().mapToDouble(m -> m.timings().optimizer()).sum();
      double total = waiting + tensors + compute + optimizer;
      double images =
          measured.stream()
              .mapToDouble(
                  m ->
                      m.imagesPerSecond()
                          * (m.timings().waitingForData()
                              + m.timings().tensors()
                              + m.timings().forwardBackward()
                              + m.timings().optimizer()))
              .sum();
      double cpu = measured.stream().mapToDouble(EpochMetrics::cpuSeconds).sum();
      int cores = Runtime.getRuntime().availableProcessors();
      if (json) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "train");
        line.put("images_per_s", imagesPerSecond);
        line.put("batch", config.batchSize());
        line.put("image_size", config.imageSize());
        line.put("torch_threads", config.effectiveTorchThreads());
        line.put("items", outcome.trainItems());
        line.put("images_per_cpu_s", images / cpu);
        line.put("cores", cores);
        line.put("share_waiting_for_data", waiting / total);
        line.put("share_tensors", tensors / total);
        line.put("share_forward_backward", compute / total);
        line.put("share_optimizer", optimizer / total);
        System.out.println(new ObjectMapper().writeValueAsString(line));
      } else {
        System.out.printf(
            Locale.ROOT,
            "training throughput: %.1f images/s (default model, %d px, batch %d, %d items,"
                + " %d measured epoch(s))%n"
                + "step time: waiting for data %.0f%%, tensors %.0f%%, forward+backward %.0f%%,"
                + " optimizer %.0f%%%n"
                + "CPU: %.1f images per CPU-second (x %d cores = %.0f images/s if every core scaled linearly)%n",
            imagesPerSecond,
            config.imageSize(),
            config.batchSize(),
            outcome.trainItems(),
            measured.size(),
            100 * waiting / total,
            100 * tensors / total,
            100 * compute / total,
            100 * optimizer / total,
            images / cpu,
            cores,
            images / cpu * cores);
      }
      return 0;
    } finally {
      try (Stream<Path> paths = Files.walk(out)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
