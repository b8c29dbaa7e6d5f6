package io.mmsearch.training.export;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.mmsearch.encoders.bundle.BundleWriter;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.bundle.Provenance;
import io.mmsearch.training.data.BackboneFeatures;
import io.mmsearch.training.data.BackboneImageFeatures;
import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.loop.CheckpointState;
import io.mmsearch.training.loop.EpochMetrics;
import io.mmsearch.training.model.DualEncoder;
import io.mmsearch.training.model.DualEncoderConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a training checkpoint into a model bundle: ONNX graphs ({@link OnnxExport}), the
 * vocabulary, {@code bundle.json} with provenance and the checkpoint epoch's validation metrics,
 * written with the shared {@link BundleWriter}.
 *
 * <p>Before anything is written, {@link ExportParity} runs both graphs in ONNX Runtime against the
 * DJL model; if any row falls below cosine {@value ParityReport#REQUIRED_COSINE} the export fails
 * with {@link ExportParityException} and the target directory is left untouched. A head on a frozen
 * backbone is written as a format-2 bundle (tokenizer.json, the backbone referenced by name and
 * SHA-256, the head as {@code text.onnx}) into a staging folder first, and its whole serving text
 * pipeline is checked against the training computation before it replaces the target. An image head
 * on a frozen image backbone is written as a format-3 bundle ({@code image.backbone} referenced by
 * name and SHA-256, the backbone's preprocessing as the image spec, the head as {@code
 * image.onnx}), and its whole serving image pipeline (decode, preprocess, backbone, head) is
 * checked the same way on real image files.
 *
 * <p>Unless disabled, the checkpoint is also copied into {@code <bundle>/pytorch/} with the
 * bundle's fingerprint, so the {@code pytorch} encoder engine can serve the very same weights
 * (those files are not part of the fingerprint and may be deleted to ship the ONNX graphs only).
 */
public final class BundleExporter {

  /** Sub-directory of a bundle holding the DJL weights for the {@code pytorch} engine. */
  public static final String PYTORCH_DIR = "pytorch";

  /** File in {@link #PYTORCH_DIR} with the fingerprint of the bundle the weights belong to. */
  public static final String FINGERPRINT_FILE = "bundle-fingerprint.txt";

  private final String name;
  private final boolean includePyTorchWeights;
  private final long seed;
  private final BackboneFeatures backbone;
  private final BackboneImageFeatures imageBackbone;

  /**
   * @param name the bundle's human-readable name
   * @param includePyTorchWeights whether to copy the checkpoint into the bundle
   * @param seed seeds the random half of the parity inputs
   */
  public BundleExporter(String name, boolean includePyTorchWeights, long seed) {
    this(name, includePyTorchWeights, seed, null);
  }

  /**
   * @param backbone the frozen backbone a head was trained on (its text spec and tokenizer.json go
   *     into the bundle), or null for a BiLSTM
   */
  public BundleExporter(
      String name, boolean includePyTorchWeights, long seed, BackboneFeatures backbone) {
    this(name, includePyTorchWeights, seed, backbone, null);
  }

  /**
   * @param imageBackbone the frozen image backbone an image head was trained on (the bundle
   *     references it and declares its preprocessing), or null for the CNN
   */
  public BundleExporter(
      String name,
      boolean includePyTorchWeights,
      long seed,
      BackboneFeatures backbone,
      BackboneImageFeatures imageBackbone) {
    this.name = Objects.requireNonNull(name, "name");
    this.includePyTorchWeights = includePyTorchWeights;
    this.seed = seed;
    this.backbone = backbone;
    this.imageBackbone = imageBackbone;
  }

  /** The bundle written and the parity that admitted it. */
  public record Exported(ModelBundle bundle, ParityReport parity) {}

  /**
   * Exports {@code checkpoint} into {@code bundleDirectory}.
   *
   * @param realSample real inputs for the parity check (see {@link ParitySample})
   * @throws ExportParityException if the graphs do not reproduce the model
   */
  public Exported export(
      Checkpoint checkpoint, Path bundleDirectory, ExportParity.Sample realSample)
      throws IOException {
    CheckpointState state = checkpoint.state();
    DualEncoderConfig config = state.architecture();
    if (config.hasBackbone()) {
      requireMatchingBackbone(checkpoint, config);
    }
    if (config.hasImageBackbone()) {
      requireMatchingImageBackbone(checkpoint, config);
    }
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      DualEncoder model = checkpoint.loadModel(manager);
      byte[] image = OnnxExport.imageGraph(model).toByteArray();
      byte[] text = OnnxExport.textGraph(model).toByteArray();
      ParityReport parity = ExportParity.check(model, manager, image, text, realSample, seed);
      if (!parity.passes()) {
        throw new ExportParityException(
            "export of " + checkpoint.directory() + " failed the parity check: " + parity);
      }
      BundleWriter.Builder writer =
          BundleWriter.builder()
              .name(name)
              .dimension(config.embeddingDim())
              .imageModel(image)
              .textModel(text)
              .provenance(provenance(state));
      if (config.hasImageBackbone()) {
        writer
            .imageSpec(imageBackbone.preprocessor().spec())
            .imageBackbone(imageBackbone.backbone());
      } else {
        writer.imageSpec(config.imageSpec());
      }
      if (config.hasBackbone()) {
        writer.textSpec(backbone.spec()).tokenizerJson(backbone.tokenizerJson());
      } else {
        writer.textSpec(config.textSpec()).vocabulary(checkpoint.vocabulary());
      }
      // Written beside the target first: a bundle that fails the pipeline check replaces nothing.
      Path target = bundleDirectory.toAbsolutePath().normalize();
      Path staging = target.resolveSibling(target.getFileName() + ".staging-" + System.nanoTime());
      try {
        ModelBundle staged = writer.build().write(staging);
        if (config.hasImageBackbone()) {
          parity =
              parity.withImagePipeline(
                  ExportParity.imagePipeline(model, manager, staged, realSample));
          if (!parity.passes()) {
            throw new ExportParityException(
                "export of "
                    + checkpoint.directory()
                    + " failed the serving image pipeline check: "
                    + parity);
          }
        }
        if (config.hasBackbone()) {
          parity =
              parity.withTextPipeline(ExportParity.pipeline(model, manager, staged, realSample));
          if (!parity.passes()) {
            throw new ExportParityException(
                "export of "
                    + checkpoint.directory()
                    + " failed the serving pipeline check: "
                    + parity);
          }
        }
        if (includePyTorchWeights) {
          Path weights = staging.resolve(PYTORCH_DIR);
          checkpoint.copyTo(weights);
          Files.writeString(
              weights.resolve(FINGERPRINT_FILE),
              staged.fingerprint() + "\n",
              StandardCharsets.UTF_8);
        }
        replace(target, staging);
      } finally {
        deleteTree(staging);
      }
      return new Exported(ModelBundle.open(target), parity);
    }
  }

  private void requireMatchingBackbone(Checkpoint checkpoint, DualEncoderConfig config) {
    if (backbone == null) {
      throw new IllegalArgumentException(
          "checkpoint "
              + checkpoint.directory()
              + " is a head on a frozen backbone: export needs"
              + " that backbone's features");
    }
    if (!backbone.backboneSha256().equals(config.textBackbone())
        || backbone.spec().maxTokens() != config.maxTokens()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + checkpoint.directory()
              + " was trained on backbone "
              + config.textBackbone()
              + " at "
              + config.maxTokens()
              + " tokens, not on "
              + backbone.backboneSha256()
              + " at "
              + backbone.spec().maxTokens());
    }
  }

  private void requireMatchingImageBackbone(Checkpoint checkpoint, DualEncoderConfig config) {
    if (imageBackbone == null) {
      throw new IllegalArgumentException(
          "checkpoint "
              + checkpoint.directory()
              + " has an image head on a frozen backbone: export needs that backbone");
    }
    if (!imageBackbone.cacheKey().equals(config.imageBackbone())) {
      throw new IllegalArgumentException(
          "checkpoint "
              + checkpoint.directory()
              + " was trained on image features "
              + config.imageBackbone()
              + ", not on "
              + imageBackbone.cacheKey());
    }
  }

  private static void replace(Path target, Path staging) throws IOException {
    if (Files.exists(target)) {
      Path old = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
    } else {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Provenance provenance(CheckpointState state) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    EpochMetrics epoch =
        state.history().stream()
            .filter(m -> m.epoch() == state.bestEpoch())
            .findFirst()
            .orElse(state.history().isEmpty() ? null : state.history().getLast());
    if (epoch != null) {
      metrics.put("epoch", (double) epoch.epoch());
      metrics.put("train_loss", epoch.trainLoss());
      if (epoch.recall() != null) {
        metrics.put("validation_loss", epoch.validationLoss());
        String[] ks = {"1", "5", "10"};
        for (int k = 0; k < ks.length; k++) {
          metrics.put("t2i_recall@" + ks[k], epoch.recall().textToImage()[k]);
          metrics.put("i2t_recall@" + ks[k], epoch.recall().imageToText()[k]);
        }
      }
    }
    return new Provenance(
        state.dataset(),
        state.epoch(),
        state.seed(),
        metrics,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }
}
