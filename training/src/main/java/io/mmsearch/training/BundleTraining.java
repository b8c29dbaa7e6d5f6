package io.mmsearch.training;

import io.mmsearch.training.data.BackboneFeatures;
import io.mmsearch.training.data.BackboneImageFeatures;
import io.mmsearch.training.data.ImageFeatureCache;
import io.mmsearch.training.data.TextFeatureCache;
import io.mmsearch.training.data.TextFeatureSource;
import io.mmsearch.training.export.BundleExporter;
import io.mmsearch.training.export.ParitySample;
import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.TrainingConfig;
import io.mmsearch.training.loop.TrainingOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code mmsearch train} does: train a dual encoder on a dataset, then export the best
 * checkpoint as a model bundle in {@code <out>/bundle} after the ONNX parity check.
 *
 * <p>Layout of {@code out}: {@code bundle/} (the model bundle, with {@code pytorch/} weights unless
 * disabled), {@code checkpoints/last}, {@code checkpoints/best}, {@code metrics.json}, {@code
 * curves.png}.
 */
public final class BundleTraining {

  /** Sub-directory of the output directory that receives the bundle. */
  public static final String BUNDLE_DIR = "bundle";

  /** Rows of real and of random inputs the export parity check compares. */
  public static final int PARITY_ROWS = 32;

  private final TrainingConfig config;
  private final String bundleName;
  private final boolean includePyTorchWeights;
  private final BackboneFeatures backbone;
  private final Path featureCache;
  private final ImageFeatureCache imageFeatures;

  /**
   * @param bundleName the name written into {@code bundle.json}
   * @param includePyTorchWeights whether the bundle carries the DJL weights for the {@code pytorch}
   *     engine
   */
  public BundleTraining(TrainingConfig config, String bundleName, boolean includePyTorchWeights) {
    this(config, bundleName, includePyTorchWeights, null, null, null);
  }

  /**
   * @param backbone the frozen backbone when {@code config} trains a head on it, else null (not
   *     closed)
   * @param featureCache folder of the on-disk feature cache ({@link TextFeatureCache}), or null to
   *     run every caption through the backbone
   * @param imageFeatures the image backbone's feature cache when {@code config} trains an image
   *     head, else null
   */
  public BundleTraining(
      TrainingConfig config,
      String bundleName,
      boolean includePyTorchWeights,
      BackboneFeatures backbone,
      Path featureCache,
      ImageFeatureCache imageFeatures) {
    this.config = config;
    this.bundleName = bundleName;
    this.includePyTorchWeights = includePyTorchWeights;
    this.backbone = backbone;
    this.featureCache = featureCache;
    this.imageFeatures = imageFeatures;
  }

  /**
   * The training outcome and the exported bundle.
   *
   * @param export null when the run was not exportable (a head on a selection of a graph's taps)
   */
  public record Result(TrainingOutcome training, BundleExporter.Exported export) {}

  /**
   * Trains (or resumes) and exports.
   *
   * @throws io.mmsearch.training.loop.TrainingDataException if no usable data remains
   * @throws io.mmsearch.training.export.ExportParityException if the export does not reproduce the
   *     model
   */
  public Result run(Path data, Path out, boolean resume, PrintStream log, boolean progressBar)
      throws IOException {
    return run(List.of(data), out, resume, log, progressBar);
  }

  /** Trains (or resumes) on several datasets read as one, and exports. */
  public Result run(List<Path> data, Path out, boolean resume, PrintStream log, boolean progressBar)
      throws IOException {
    TextFeatureSource textFeatures = null;
    if (backbone != null) {
      textFeatures =
          featureCache == null ? backbone : TextFeatureCache.open(backbone, featureCache);
    }
    TrainingOutcome outcome =
        new DualEncoderTrainer(config, log, progressBar, textFeatures, imageFeatures)
            .train(data, out, resume);
    if (!config.imageTaps().isEmpty()) {
      log.println(
          "no bundle written: the image head reads the taps "
              + config.imageTaps()
              + " of a larger graph; convert a graph with exactly these taps and train on it to"
              + " export");
      return new Result(outcome, null);
    }
    Checkpoint best = Checkpoint.read(outcome.bestCheckpoint());
    BundleExporter.Exported exported =
        new BundleExporter(
                bundleName,
                includePyTorchWeights,
                config.seed(),
                backbone,
                imageFeatures != null && imageFeatures.source() instanceof BackboneImageFeatures b
                    ? b
                    : null)
            .export(
                best,
                out.resolve(BUNDLE_DIR),
                ParitySample.of(data, best, textFeatures, imageFeatures, PARITY_ROWS));
    log.println("parity: " + exported.parity());
    return new Result(outcome, exported);
  }
}
