package io.mmsearch.training.loop;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import io.mmsearch.encoders.text.VocabularyBuilder;
import io.mmsearch.encoders.text.WordSplitter;
import io.mmsearch.encoders.text.WordTokenizer;
import io.mmsearch.training.data.BatchAssembler;
import io.mmsearch.training.data.CaptionTable;
import io.mmsearch.training.data.DatasetProblem;
import io.mmsearch.training.data.DatasetSplit;
import io.mmsearch.training.data.ExampleSource;
import io.mmsearch.training.data.FeatureCaptionTable;
import io.mmsearch.training.data.ImageAugmenter;
import io.mmsearch.training.data.PreparedDataset;
import io.mmsearch.training.data.TextBatch;
import io.mmsearch.training.data.TextFeatureSource;
import io.mmsearch.training.data.TokenCaptionTable;
import io.mmsearch.training.data.TrainingBatch;
import io.mmsearch.training.data.TrainingExample;
import io.mmsearch.training.model.DualEncoder;
import io.mmsearch.training.model.TextTowerKind;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains a {@link DualEncoder} on a manifest or folder-per-class dataset with DJL's PyTorch engine.
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrainingConfig config;
  private final PrintStream log;
  private final boolean progressBar;
  private final TextFeatureSource textFeatures;

  /**
   * @param log receives progress and messages (skipped items, epoch summaries)
   * @param progressBar whether to draw a progress bar on {@code log}
   */
  public DualEncoderTrainer(TrainingConfig config, PrintStream log, boolean progressBar) {
    this(config, log, progressBar, null);
  }

  /**
   * @param textFeatures the frozen backbone's features, required when {@code config} trains a
   *     {@link TextTowerKind#BACKBONE_HEAD} (wrap it in a {@link
   *     io.mmsearch.training.data.TextFeatureCache} so each caption runs through the backbone once
   *     across runs); ignored for the BiLSTM
   */
  public DualEncoderTrainer(
      TrainingConfig config, PrintStream log, boolean progressBar, TextFeatureSource textFeatures) {
    if (config.textTower() == TextTowerKind.BACKBONE_HEAD && textFeatures == null) {
      throw new IllegalArgumentException("a backbone head needs the backbone's text features");
    }
    this.config = config;
    this.log = log;
    this.progressBar = progressBar;
    this.textFeatures = config.textTower() == TextTowerKind.BACKBONE_HEAD ? textFeatures : null;
  }

  /** Where {@code outDir}'s checkpoint of the last completed epoch lives. */
  public static Path lastCheckpoint(Path outDir) {
    return outDir.resolve(CHECKPOINTS).resolve("last");
  }

  /** Where {@code outDir}'s best checkpoint lives. */
  public static Path bestCheckpoint(Path outDir) {
    return outDir.resolve(CHECKPOINTS).resolve("best");
  }

  /** The image input of models trained with {@code config}: the project default at its size. */
  public static ImageInputSpec imageSpec(TrainingConfig config) {
    ImageInputSpec d = ImageInputSpec.defaults();
    return new ImageInputSpec(config.imageSize(), 3, d.mean(), d.std(), d.resize(), d.background());
  }

  /** The text input of models trained with {@code config}. */
  public static TextInputSpec textSpec(TrainingConfig config) {
    TextInputSpec d = TextInputSpec.defaults();
    return new TextInputSpec(d.tokenizer(), d.vocabulary(), config.maxTokens(), d.lowercase());
  }

  /**
   * Trains on {@code data}, writing into {@code outDir}.
   *
   * @param resume continue from {@code outDir}'s last checkpoint (fails if there is none)
   * @throws TrainingDataException if no usable data remains
   * @throws IOException if data or checkpoints cannot be read or written, or the checkpoint is of
   *     another architecture
   */
  public TrainingOutcome train(Path data, Path outDir, boolean resume) throws IOException {
    ExampleSource.Examples read = ExampleSource.read(data, config.keywordCaptions());
    List<DatasetProblem> problems = new ArrayList<>(read.problems());
    if (read.examples().isEmpty()) {
      throw new TrainingDataException(noDataMessage(data, "no items", problems));
    }
    Checkpoint resumeFrom = null;
    if (resume) {
      resumeFrom = Checkpoint.read(lastCheckpoint(outDir));
    }
    DatasetSplit split =
        DatasetSplit.of(
            read.examples(), config.validationFraction(), config.splitBy(), config.seed());
    Vocabulary vocabulary = null;
    CaptionTable captions;
    if (textFeatures == null) {
      TextInputSpec textSpec = textSpec(config);
      vocabulary =
          resumeFrom != null ? resumeFrom.vocabulary() : buildVocabulary(split.train(), textSpec);
      captions = new TokenCaptionTable(WordTokenizer.forSpec(textSpec, vocabulary));
    } else {
      captions = new FeatureCaptionTable(textFeatures);
    }
    ImagePreprocessor preprocessor = new ImagePreprocessor(imageSpec(config));
    Map<String, Integer> concepts =
        resumeFrom != null ? new HashMap<>(resumeFrom.state().concepts()) : new LinkedHashMap<>();
    long prepareStart = System.nanoTime();
    PreparedDataset train =
        PreparedDataset.prepare(split.train(), preprocessor, captions, concepts);
    PreparedDataset validation =
        PreparedDataset.prepare(split.validation(), preprocessor, captions, concepts);
    double prepareSeconds = (System.nanoTime() - prepareStart) / 1e9;
    problems.addAll(train.problems());
    problems.addAll(validation.problems());
    reportProblems(problems);
    if (train.size() < 2) {
      throw new TrainingDataException(
          noDataMessage(
              data, train.size() + " usable training item(s); at least 2 are needed", problems));
    }
    int batchSize = config.batchSize();
    if (train.size() < batchSize) {
      log.printf(
          "warning: only %d training items, fewer than one batch of %d; using batches of %d%n",
          train.size(), batchSize, train.size());
      batchSize = train.size();
    }
    boolean validate = validation.size() >= 2;
    if (!validate) {
      log.printf(
          "warning: %d validation item(s): validation and early stopping are off;"
              + " the last epoch is kept as best%n",
          validation.size());
    }
    log.printf(
        "training on %d items (%d concepts), validating on %d, %s, %d skipped"
            + " (data prepared in %.1f s)%n",
        train.size(),
        concepts.size(),
        validation.size(),
        vocabulary != null
            ? "vocabulary " + vocabulary.size()
            : "frozen backbone features " + textFeatures.dimension() + "-d",
        problems.size(),
        prepareSeconds);

    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) config.seed());
    JniUtils.setNumThreads(config.effectiveTorchThreads());
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        Model model = Model.newInstance("mmsearch-dual-encoder", Device.cpu(), "PyTorch")) {
      DualEncoder network =
          new DualEncoder(
              vocabulary != null
                  ? config.architecture(vocabulary.size())
                  : config.backboneArchitecture(
                      textFeatures.dimension(), textFeatures.backboneSha256()));
      network.initialize(model.getNDManager());
      model.setBlock(network);
      int startEpoch = 0;
      int globalStep = 0;
      int bestEpoch = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      int stale = 0;
      List<EpochMetrics> history = new ArrayList<>();
      if (resumeFrom != null) {
        resumeFrom.loadInto(network, model.getNDManager());
        CheckpointState s = resumeFrom.state();
        startEpoch = s.epoch();
        globalStep = s.globalStep();
        bestEpoch = s.bestEpoch();
        bestScore = s.bestScore();
        stale = s.epochsWithoutImprovement();
        history.addAll(s.history());
        log.printf("resuming from %s after epoch %d%n", resumeFrom.directory(), startEpoch);
      }
      BatchAssembler trainBatches =
          new BatchAssembler(
              train,
              new ImageAugmenter(config.augmentation(), preprocessor.spec()),
              config.imageSize(),
              config.seed());
      BatchAssembler validationBatches =
          new BatchAssembler(validation, null, config.imageSize(), config.seed());
      int stepsPerEpoch =
          (int) trainBatches.epochBatches(0, batchSize).stream().filter(b -> b.length >= 2).count();
      int totalSteps = stepsPerEpoch * config.epochs();
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
                      .optBeginNumUpdate(globalStep)
                      .build());
      ExecutorService loader =
          Executors.newFixedThreadPool(
              config.loaderThreads(),
              r -> {
                Thread t = new Thread(r, "mmsearch-batch-loader");
                t.setDaemon(true);
                return t;
              });
      boolean stoppedEarly = false;
      Path last = lastCheckpoint(outDir);
      Path best = bestCheckpoint(outDir);
      try (Trainer trainer = model.newTrainer(trainingConfig)) {
        // Loaded weights are fresh arrays: make sure every trainable one records gradients.
        for (Pair<String, Parameter> p : network.getParameters()) {
          if (p.getValue().requiresGradient() && !p.getValue().getArray().hasGradient()) {
            p.getValue().getArray().setRequiresGradient(true);
          }
        }
        for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
          long start = System.nanoTime();
          EpochRun run =
              runEpoch(trainer, trainBatches, loader, epoch, batchSize, globalStep, schedule);
          globalStep += run.steps;
          double trainSeconds = (System.nanoTime() - start) / 1e9;
          double validationLoss = Double.NaN;
          RetrievalMetrics recall = null;
          if (validate) {
            Validation v = validate(trainer, validationBatches, batchSize, loss);
            validationLoss = v.loss;
            recall = v.recall;
          }
          EpochMetrics metrics =
              new EpochMetrics(
                  epoch + 1,
                  run.meanLoss(),
                  validationLoss,
                  recall,
                  run.images / trainSeconds,
                  schedule.getNewValue(Math.max(0, globalStep - 1)),
                  network.logitScale(),
                  (System.nanoTime() - start) / 1e9,
                  run.timings,
                  run.cpuSeconds);
          history.add(metrics);
          boolean improved = metrics.score() > bestScore;
          if (improved) {
            bestScore = metrics.score();
            bestEpoch = epoch + 1;
            stale = 0;
          } else {
            stale++;
          }
          log.println(summary(metrics, improved));
          CheckpointState state =
              new CheckpointState(
                  network.config(),
                  epoch + 1,
                  globalStep,
                  bestEpoch,
                  bestScore,
                  stale,
                  history,
                  concepts,
                  data.normalize().toString(),
                  config.seed());
          Checkpoint saved = Checkpoint.write(last, state, network, vocabulary);
          if (improved) {
            saved.copyTo(best);
          }
          writeReports(outDir, data, history, problems, train.size(), validation.size(), bestEpoch);
          if (validate && stale >= config.patience() && epoch + 1 < config.epochs()) {
            log.printf("early stop: no better validation score for %d epochs%n", stale);
            stoppedEarly = true;
            break;
          }
        }
      } finally {
        loader.shutdownNow();
      }
      if (!Checkpoint.exists(best) && Checkpoint.exists(last)) {
        Checkpoint.read(last).copyTo(best);
      }
      return new TrainingOutcome(
          best, last, history, problems, train.size(), validation.size(), stoppedEarly);
    }
  }

  private Vocabulary buildVocabulary(List<TrainingExample> examples, TextInputSpec spec) {
    VocabularyBuilder builder =
        new VocabularyBuilder(new WordSplitter(spec.lowercase()))
            .minFrequency(config.minTokenFrequency())
            .maxSize(config.maxVocabulary());
    for (TrainingExample e : examples) {
      for (String caption : e.captions()) {
        builder.addText(caption);
      }
    }
    return builder.build();
  }

  private record EpochRun(
      int steps, long images, double lossSum, StepTimings timings, double cpuSeconds) {
    double meanLoss() {
      return steps == 0 ? Double.NaN : lossSum / steps;
    }
  }

  private EpochRun runEpoch(
      Trainer trainer,
      BatchAssembler assembler,
      ExecutorService loader,
      int epoch,
      int batchSize,
      int globalStep,
      LearningRateSchedule schedule)
      throws IOException {
    List<int[]> batches =
        assembler.epochBatches(epoch, batchSize).stream().filter(b -> b.length >= 2).toList();
    Deque<Future<TrainingBatch>> ahead = new ArrayDeque<>();
    int next = 0;
    int steps = 0;
    long images = 0;
    double lossSum = 0;
    long[] clock = new long[4]; // waiting, tensors, forward+backward, optimizer (ns)
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    ProgressBar bar = progressBar ? newBar(epoch, batches.size()) : null;
    try {
      while (steps < batches.size()) {
        while (next < batches.size() && ahead.size() <= config.loaderThreads()) {
          int[] indices = batches.get(next++);
          ahead.add(loader.submit(() -> assembler.assemble(indices, epoch)));
        }
        long waitStart = System.nanoTime();
        TrainingBatch batch = take(ahead.poll());
        clock[0] += System.nanoTime() - waitStart;
        float stepLoss = step(trainer, batch, clock);
        steps++;
        images += batch.size();
        lossSum += stepLoss;
        if (bar != null) {
          double seconds = (System.nanoTime() - start) / 1e9;
          bar.step();
          bar.setExtraMessage(
              String.format(
                  "loss %.3f  %.0f img/s  lr %.2e",
                  lossSum / steps, images / seconds, schedule.getNewValue(globalStep + steps - 1)));
        }
      }
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    return new EpochRun(
        steps,
        images,
        lossSum,
        new StepTimings(clock[0] / 1e9, clock[1] / 1e9, clock[2] / 1e9, clock[3] / 1e9),
        (processCpuNanos() - cpuStart) / 1e9);
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  private ProgressBar newBar(int epoch, int steps) {
    return new ProgressBarBuilder()
        .setTaskName(String.format("epoch %d/%d", epoch + 1, config.epochs()))
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(log))
        .setUpdateIntervalMillis(500)
        .build();
  }

  private static TrainingBatch take(Future<TrainingBatch> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while loading a batch", e);
    } catch (ExecutionException e) {
      throw new IOException("batch assembly failed: " + e.getCause(), e.getCause());
    }
  }

  /** One optimiser step; returns the batch loss and adds its phases' nanoseconds to clock. */
  private float step(Trainer trainer, TrainingBatch batch, long[] clock) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      long t0 = System.nanoTime();
      NDList inputs = toInputs(scope, batch);
      NDList labels = labels(scope, batch);
      long t1 = System.nanoTime();
      float value;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList predictions = trainer.forward(inputs);
        NDArray lossValue = trainer.getLoss().evaluate(labels, predictions);
        collector.backward(lossValue);
        value = lossValue.getFloat();
      }
      long t2 = System.nanoTime();
      if (config.gradientClipNorm() > 0) {
        clipGradients(trainer, config.gradientClipNorm());
      }
      trainer.step();
      long t3 = System.nanoTime();
      clock[1] += t1 - t0;
      clock[2] += t2 - t1;
      clock[3] += t3 - t2;
      return value;
    }
  }

  /** Rescales all gradients so that their global L2 norm is at most {@code maxNorm}. */
  private static void clipGradients(Trainer trainer, float maxNorm) {
    List<NDArray> gradients = new ArrayList<>();
    try {
      double sumSquares = 0;
      for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
        Parameter parameter = p.getValue();
        if (parameter.requiresGradient()) {
          NDArray gradient = parameter.getArray().getGradient();
          gradients.add(gradient);
          try (NDArray squares = gradient.square();
              NDArray sum = squares.sum()) {
            sumSquares += sum.getFloat();
          }
        }
      }
      double norm = Math.sqrt(sumSquares);
      if (norm > maxNorm) {
        float factor = (float) (maxNorm / (norm + 1e-6));
        for (NDArray g : gradients) {
          g.muli(factor);
        }
      }
    } finally {
      gradients.forEach(NDArray::close);
    }
  }

  static NDList toInputs(NDManager manager, TrainingBatch batch) {
    int size = batch.size();
    int side = (int) Math.round(Math.sqrt(batch.pixels().length / (3.0 * size)));
    NDList inputs = new NDList(manager.create(batch.pixels(), new Shape(size, 3, side, side)));
    inputs.addAll(textInputs(manager, batch.text()));
    return inputs;
  }

  /** The text tower's input tensors for a text batch. */
  public static NDList textInputs(NDManager manager, TextBatch text) {
    return switch (text) {
      case TextBatch.Tokens t ->
          new NDList(
              manager.create(t.tokens(), new Shape(t.rows(), t.steps())),
              manager.create(t.lengths(), new Shape(t.rows())));
      case TextBatch.Features f ->
          new NDList(manager.create(f.values(), new Shape(f.rows(), f.dimension())));
    };
  }

  private static NDList labels(NDManager manager, TrainingBatch batch) {
    return new NDList(
        manager.create(batch.concepts()),
        manager.create(batch.describes(), new Shape(batch.size(), batch.size())));
  }

  private record Validation(double loss, RetrievalMetrics recall) {}

  private Validation validate(
      Trainer trainer, BatchAssembler assembler, int batchSize, ContrastiveLoss loss) {
    int dim =
        trainer.getModel().getBlock() instanceof DualEncoder d
            ? d.config().embeddingDim()
            : config.architecture(3).embeddingDim();
    List<int[]> batches = assembler.epochBatches(0, batchSize);
    int n = batches.stream().mapToInt(b -> b.length).sum();
    float[] images = new float[n * dim];
    float[] texts = new float[n * dim];
    long[] concepts = new long[n];
    double lossSum = 0;
    int lossBatches = 0;
    int row = 0;
    for (int[] indices : batches) {
      TrainingBatch batch = assembler.assemble(indices, 0);
      try (NDManager scope = trainer.getManager().newSubManager()) {
        NDList predictions = trainer.evaluate(toInputs(scope, batch));
        if (batch.size() >= 2) {
          lossSum += loss.evaluate(labels(scope, batch), predictions).getFloat();
          lossBatches++;
        }
        System.arraycopy(
            predictions.get(0).toFloatArray(), 0, images, row * dim, batch.size() * dim);
        System.arraycopy(
            predictions.get(1).toFloatArray(), 0, texts, row * dim, batch.size() * dim);
        System.arraycopy(batch.concepts(), 0, concepts, row, batch.size());
        row += batch.size();
      }
    }
    return new Validation(
        lossBatches == 0 ? Double.NaN : lossSum / lossBatches,
        RetrievalMetrics.compute(images, texts, concepts, dim));
  }

  private static String summary(EpochMetrics m, boolean improved) {
    StringBuilder s =
        new StringBuilder(
            String.format(
                "epoch %d: train loss %.4f, %.0f img/s",
                m.epoch(), m.trainLoss(), m.imagesPerSecond()));
    if (m.recall() != null) {
      s.append(
          String.format(
              ", val loss %.4f, t2i R@1/5/10 %.3f/%.3f/%.3f, i2t R@1/5/10 %.3f/%.3f/%.3f",
              m.validationLoss(),
              m.recall().textToImage()[0],
              m.recall().textToImage()[1],
              m.recall().textToImage()[2],
              m.recall().imageToText()[0],
              m.recall().imageToText()[1],
              m.recall().imageToText()[2]));
    }
    s.append(String.format(", scale %.1f%s", m.logitScale(), improved ? " (best)" : ""));
    if (m.timings() != null) {
      s.append(
          String.format(
              "%n  step time: waiting for data %.1fs, tensors %.1fs, forward+backward %.1fs,"
                  + " optimizer %.1fs",
              m.timings().waitingForData(),
              m.timings().tensors(),
              m.timings().forwardBackward(),
              m.timings().optimizer()));
    }
    return s.toString();
  }

  private void reportProblems(List<DatasetProblem> problems) {
    if (problems.isEmpty()) {
      return;
    }
    log.printf("skipped %d item(s):%n", problems.size());
    int shown = 0;
    for (DatasetProblem p : problems) {
      if (shown++ == 20) {
        log.printf("  ... and %d more (all listed in metrics.json)%n", problems.size() - 20);
        break;
      }
      log.println("  " + p);
    }
  }

  private static String noDataMessage(Path data, String what, List<DatasetProblem> problems) {
    StringBuilder s =
        new StringBuilder("nothing to train on in ").append(data).append(": ").append(what);
    if (!problems.isEmpty()) {
      s.append("; ").append(problems.size()).append(" item(s) skipped, e.g.");
      problems.stream().limit(5).forEach(p -> s.append("\n  ").append(p));
    }
    return s.toString();
  }

  private void writeReports(
      Path outDir,
      Path data,
      List<EpochMetrics> history,
      List<DatasetProblem> problems,
      int trainItems,
      int validationItems,
      int bestEpoch)
      throws IOException {
    Files.createDirectories(outDir);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("dataset", data.normalize().toString());
    report.put("trainItems", trainItems);
    report.put("validationItems", validationItems);
    report.put("bestEpoch", bestEpoch);
    report.put("config", JSON.readTree(config.toJson()));
    report.put("epochs", history);
    report.put("skipped", problems.stream().map(DatasetProblem::toString).toList());
    JSON.writerWithDefaultPrettyPrinter()
        .writeValue(outDir.resolve("metrics.json").toFile(), report);
    TrainingCurves.write(history, outDir.resolve("curves.png"));
  }
}
