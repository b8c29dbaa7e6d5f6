package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.training.data.BackboneFeatures;
import io.mmsearch.training.data.BackboneImageFeatures;
import io.mmsearch.training.data.DatasetSplit.SplitBy;
import io.mmsearch.training.data.ImageFeatureCache;
import io.mmsearch.training.data.TextFeatureCache;
import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.EpochMetrics;
import io.mmsearch.training.loop.TrainingConfig;
import io.mmsearch.training.loop.TrainingOutcome;
import io.mmsearch.training.model.ImageTowerKind;
import io.mmsearch.training.model.TextTowerKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * {@code mmsearch bench train}: training throughput (images per second) of the default model,
 * measured by running real training epochs with the production loop (batches assembled on the
 * loader thread, forward, backward, gradient clipping, AdamW) and no validation. The first epoch is
 * a warm-up (libtorch allocator and kernels); the figure is the mean of the following ones, with
 * the breakdown of where the step time went. {@code --image-tower CNN} measures the small CNN on 64
 * px pixels (augmented on the loader thread) instead of the default image head on frozen
 * MobileNetV2 features. Frozen backbone features (MiniLM for captions, MobileNetV2 for every image
 * and augmented view) come from the feature caches and are computed before the first epoch, so they
 * are not in the figure; the time they took, and the backbone's images per second, are printed on
 * their own.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Training images/s of the default dual encoder (or of the CNN image tower), with a time"
            + " breakdown.")
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

  @Option(
      names = "--image-tower",
      paramLabel = "KIND",
      description = "BACKBONE_HEAD (the default: a head on frozen MobileNetV2 features) or CNN.")
  ImageTowerKind imageTower;

  @Option(
      names = "--image-feature-cache",
      paramLabel = "DIR",
      description =
          "Image backbone feature cache (default: a fresh temporary folder, so the backbone's"
              + " throughput is measured too).")
  Path imageFeatureCache;

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
    if (imageTower != null) {
      builder.imageTower(imageTower);
    }
    TrainingConfig config = builder.build();
    Path out = Files.createTempDirectory("mmsearch-bench-train");
    Path imageCache = imageFeatureCache != null ? imageFeatureCache : out.resolve("image-features");
    boolean imageHead = config.imageTower() == ImageTowerKind.BACKBONE_HEAD;
    try (BackboneFeatures backbone =
            config.textTower() != TextTowerKind.BILSTM
                ? BackboneFeatures.miniLm(config.maxTokens())
                : null;
        BackboneImageFeatures imageBackbone =
            imageHead ? BackboneImageFeatures.mobileNetV2(config.backboneImageSize()) : null) {
      TextFeatureCache features =
          backbone == null ? null : TextFeatureCache.open(backbone, featureCache);
      ImageFeatureCache imageFeatures =
          imageBackbone == null ? null : ImageFeatureCache.open(imageBackbone, imageCache);
      ByteArrayOutputStream trainLog = new ByteArrayOutputStream();
      TrainingOutcome outcome =
          new DualEncoderTrainer(
                  config,
                  new PrintStream(trainLog, true, StandardCharsets.UTF_8),
                  false,
                  features,
                  imageFeatures)
              .train(data, out, false);
      double prepareSeconds =
          new ObjectMapper()
              .readTree(out.resolve("metrics.json").toFile())
              .get("prepareSeconds")
              .asDouble();
      if (imageFeatures != null && !json) {
        System.out.printf(
            Locale.ROOT,
            "image backbone features: %d image view(s) through MobileNetV2 at %d px, %d cached;"
                + " data prepared in %.1f s (%.1f image views/s, decoding included)%n",
            imageFeatures.computed(),
            config.backboneImageSize(),
            imageFeatures.size() - imageFeatures.computed(),
            prepareSeconds,
            imageFeatures.computed() / prepareSeconds);
      }
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
        line.put("image_tower", config.imageTower().toString());
        line.put("image_size", imageHead ? config.backboneImageSize() : config.imageSize());
        line.put("prepare_seconds", prepareSeconds);
        line.put("image_views_computed", imageFeatures == null ? 0 : imageFeatures.computed());
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
            "training throughput: %.1f images/s (%s image tower, %d px, batch %d, %d items,"
                + " %d measured epoch(s))%n"
                + "step time: waiting for data %.0f%%, tensors %.0f%%, forward+backward %.0f%%,"
                + " optimizer %.0f%%%n"
                + "CPU: %.1f images per CPU-second (x %d cores = %.0f images/s if every core scaled linearly)%n",
            imagesPerSecond,
            config.imageTower(),
            imageHead ? config.backboneImageSize() : config.imageSize(),
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
