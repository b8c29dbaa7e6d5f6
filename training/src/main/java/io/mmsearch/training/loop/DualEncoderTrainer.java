package io.mmsearch.training.loop;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.training.data.BatchAssembler;
import io.mmsearch.training.data.ImageAugmenter;
import io.mmsearch.training.data.ImageFeatureCache;
import io.mmsearch.training.data.TextFeatureSource;
import io.mmsearch.training.model.DualEncoder;
import io.mmsearch.training.model.ImageTowerKind;
import io.mmsearch.training.model.TextTowerKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains a {@link DualEncoder} on manifests or folder-per-class datasets with DJL's PyTorch engine.
 *
 * <p>A run prepares its data once ({@link TrainingData}: images decoded, or a frozen image
 * backbone's features of every view computed through the feature cache; captions tokenized, or a
 * frozen text backbone's features computed), builds or restores the model, then per epoch runs the
 * training steps ({@link EpochRunner}), validates ({@link Validator}), records the epoch ({@link
 * TrainingProgress}), checkpoints, and writes its reports ({@link RunReport}); early stopping ends
 * it after {@code patience} epochs without a better validation score.
 *
 * <p>Output directory layout: {@code checkpoints/last/} (after every epoch, for resuming), {@code
 * checkpoints/best/} (best validation score), {@code metrics.json} (config, data summary, skipped
 * items, per-epoch metrics) and {@code curves.png}. {@link #train} with {@code resume=true}
 * continues from {@code checkpoints/last/} at the epoch after the saved one, with the saved
 * vocabulary, concept ids, schedule position, best score and early-stopping count; AdamW's moment
 * estimates are not part of a checkpoint and restart from zero.
 *
 * <p>One instance runs one training at a time; it is not thread-safe.
 */
public final class DualEncoderTrainer {

  /** Sub-directory of the output directory holding checkpoints. */
  public static final String CHECKPOINTS = "checkpoints";

  private final TrainingConfig config;
  private final PrintStream log;
  private final boolean progressBar;
  private final TextFeatureSource textFeatures;
  private final ImageFeatureCache imageFeatures;

  /**
   * @param log receives progress and messages (skipped items, epoch summaries)
   * @param progressBar whether to draw a progress bar on {@code log}
   */
  public DualEncoderTrainer(TrainingConfig config, PrintStream log, boolean progressBar) {
    this(config, log, progressBar, null, null);
  }

  /**
   * @param textFeatures the frozen text backbone's features, required when {@code config} trains a
   *     {@link TextTowerKind#BACKBONE_HEAD} (wrap it in a {@link
   *     io.mmsearch.training.data.TextFeatureCache} so each caption runs through the backbone once
   *     across runs); ignored for the BiLSTM
   * @param imageFeatures the frozen image backbone's feature cache, required when {@code config}
   *     trains an image head ({@link ImageTowerKind#BACKBONE_HEAD}); ignored for the CNN
   */
  public DualEncoderTrainer(
      TrainingConfig config,
      PrintStream log,
      boolean progressBar,
      TextFeatureSource textFeatures,
      ImageFeatureCache imageFeatures) {
    if (config.textTower() != TextTowerKind.BILSTM && textFeatures == null) {
      throw new IllegalArgumentException("a backbone head needs the backbone's text features");
    }
    if (config.imageTower() == ImageTowerKind.BACKBONE_HEAD && imageFeatures == null) {
      throw new IllegalArgumentException("an image head needs the image backbone's features");
    }
    this.config = config;
    this.log = log;
    this.progressBar = progressBar;
    this.textFeatures = config.textTower() != TextTowerKind.BILSTM ? textFeatures : null;
    this.imageFeatures = config.imageTower() == ImageTowerKind.BACKBONE_HEAD ? imageFeatures : null;
  }

  /** Where {@code outDir}'s checkpoint of the last completed epoch lives. */
  public static Path lastCheckpoint(Path outDir) {
    return outDir.resolve(CHECKPOINTS).resolve("last");
  }

  /** Where {@code outDir}'s best checkpoint lives. */
  public static Path bestCheckpoint(Path outDir) {
    return outDir.resolve(CHECKPOINTS).resolve("best");
  }

  /** The image input of CNN models trained with {@code config}: the project default at its size. */
  public static ImageInputSpec imageSpec(TrainingConfig config) {
    ImageInputSpec d = ImageInputSpec.defaults();
    return new ImageInputSpec(config.imageSize(), 3, d.mean(), d.std(), d.resize(), d.background());
  }

  /** The text input of BiLSTM models trained with {@code config}. */
  public static TextInputSpec textSpec(TrainingConfig config) {
    TextInputSpec d = TextInputSpec.defaults();
    return new TextInputSpec(d.tokenizer(), d.vocabulary(), config.maxTokens(), d.lowercase());
  }

  /** Trains on one dataset; see {@link #train(List, Path, boolean)}. */
  public TrainingOutcome train(Path data, Path outDir, boolean resume) throws IOException {
    return train(List.of(data), outDir, resume);
  }

  /**
   * Trains on {@code data} (manifests or class folders, read as one dataset; an id seen twice is
   * skipped the second time), writing into {@code outDir}.
   *
   * @param resume continue from {@code outDir}'s last checkpoint (fails if there is none)
   * @throws TrainingDataException if no usable data remains
   * @throws IOException if data or checkpoints cannot be read or written, or the checkpoint is of
   *     another architecture
   */
  public TrainingOutcome train(List<Path> data, Path outDir, boolean resume) throws IOException {
    Checkpoint resumeFrom = resume ? Checkpoint.read(lastCheckpoint(outDir)) : null;
    TrainingData prepared =
        TrainingData.prepare(config, data, resumeFrom, textFeatures, imageFeatures, log);
    RunReport report = new RunReport(config, log);
    report.problems(prepared.problems);
    int batchSize = batchSize(prepared.train.size());
    boolean validate = prepared.validation.size() >= 2;
    if (!validate) {
      log.printf(
          "warning: %d validation item(s): validation and early stopping are off;"
              + " the last epoch is kept as best%n",
          prepared.validation.size());
    }
    log.println(prepared.describe());

    Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
    JniUtils.setNumThreads(config.effectiveTorchThreads());
    try (Model model = Model.newInstance("mmsearch-dual-encoder", Device.cpu(), "PyTorch")) {
      DualEncoder network = new DualEncoder(prepared.architecture);
      network.initialize(model.getNDManager());
      model.setBlock(network);
      TrainingProgress progress;
      if (resumeFrom != null) {
        resumeFrom.loadInto(network, model.getNDManager());
        progress = new TrainingProgress(resumeFrom.state());
        log.printf("resuming from %s after epoch %d%n", resumeFrom.directory(), progress.epoch());
      } else {
        progress = new TrainingProgress();
        if (network.config().hasImageBackbone()) {
          float[][] statistics = prepared.featureStatistics();
          network.imageHead().setFeatureStatistics(statistics[0], statistics[1]);
        }
      }
      boolean stoppedEarly =
          runEpochs(model, network, prepared, progress, batchSize, validate, outDir, report);
      Path best = bestCheckpoint(outDir);
      Path last = lastCheckpoint(outDir);
      if (!Checkpoint.exists(best) && Checkpoint.exists(last)) {
        Checkpoint.read(last).copyTo(best);
      }
      return new TrainingOutcome(
          best,
          last,
          progress.history(),
          prepared.problems,
          prepared.train.size(),
          prepared.validation.size(),
          stoppedEarly);
    }
  }

  private int batchSize(int trainItems) {
    if (trainItems < config.batchSize()) {
      log.printf(
          "warning: only %d training items, fewer than one batch of %d; using batches of %d%n",
          trainItems, config.batchSize(), trainItems);
      return trainItems;
    }
    return config.batchSize();
  }

  /** The epochs from where {@code progress} stands; returns whether early stopping ended them. */
  private boolean runEpochs(
      Model model,
      DualEncoder network,
      TrainingData data,
      TrainingProgress progress,
      int batchSize,
      boolean validate,
      Path outDir,
      RunReport report)
      throws IOException {
    BatchAssembler trainBatches =
        new BatchAssembler(
            data.train,
            true,
            network.config().hasImageBackbone()
                ? null
                : new ImageAugmenter(config.augmentation(), imageSpec(config)),
            config.seed());
    int totalSteps = EpochRunner.stepsPerEpoch(trainBatches, batchSize) * config.epochs();
    LearningRateSchedule schedule =
        new LearningRateSchedule(
            config.learningRate(),
            Math.round(config.warmupFraction() * totalSteps),
            totalSteps,
            0.01f);
    ContrastiveLoss loss =
        new ContrastiveLoss(
            config.hardNegativeWeight(), config.hardNegativeCount(), config.hardNegativeMargin());
    DefaultTrainingConfig trainingConfig =
        new DefaultTrainingConfig(loss)
            .optDevices(new Device[] {Device.cpu()})
            .optOptimizer(
                Optimizer.adamW()
                    .optLearningRateTracker(schedule)
                    .optWeightDecays(config.weightDecay())
                    .optBeginNumUpdate(progress.globalStep())
                    .build());
    Validator validator =
        new Validator(
            new BatchAssembler(data.validation, false, null, config.seed()),
            batchSize,
            loss,
            network.config().embeddingDim());
    try (Trainer trainer = model.newTrainer(trainingConfig);
        EpochRunner runner =
            new EpochRunner(trainer, trainBatches, config, batchSize, schedule, log, progressBar)) {
      // Loaded weights are fresh arrays: make sure every trainable one records gradients.
      for (Pair<String, Parameter> p : network.getParameters()) {
        if (p.getValue().requiresGradient() && !p.getValue().getArray().hasGradient()) {
          p.getValue().getArray().setRequiresGradient(true);
        }
      }
      for (int epoch = progress.epoch(); epoch < config.epochs(); epoch++) {
        long start = System.nanoTime();
        EpochRunner.Result run = runner.run(epoch, progress.globalStep());
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Validator.Result validation = validate ? validator.run(trainer) : null;
        EpochMetrics metrics =
            new EpochMetrics(
                epoch + 1,
                run.meanLoss(),
                validation == null ? Double.NaN : validation.loss(),
                validation == null ? null : validation.recall(),
                run.images() / trainSeconds,
                schedule.getNewValue(Math.max(0, progress.globalStep() + run.steps() - 1)),
                network.logitScale(),
                (System.nanoTime() - start) / 1e9,
                run.timings(),
                run.cpuSeconds());
        boolean improved = progress.record(metrics, run.steps());
        report.epoch(metrics, improved);
        Checkpoint saved =
            Checkpoint.write(
                lastCheckpoint(outDir),
                progress.state(network.config(), data.concepts, data.datasetName(), config.seed()),
                network,
                data.vocabulary);
        if (improved) {
          saved.copyTo(bestCheckpoint(outDir));
        }
        report.write(outDir, data, progress);
        if (validate && progress.stale() >= config.patience() && epoch + 1 < config.epochs()) {
          log.printf("early stop: no better validation score for %d epochs%n", progress.stale());
          return true;
        }
      }
      return false;
    }
  }
}
