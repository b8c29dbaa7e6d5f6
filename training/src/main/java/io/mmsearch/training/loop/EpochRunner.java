package io.mmsearch.training.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.mmsearch.training.data.BatchAssembler;
import io.mmsearch.training.data.TrainingBatch;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs the training steps of one epoch: batches assembled ahead on loader threads, one optimiser
 * step per batch (forward, symmetric InfoNCE, backward, global-norm clipping, AdamW), a progress
 * bar, and the time each phase took. Closing it stops the loader threads.
 *
 * <p>Not thread-safe: one run drives it from one thread.
 */
final class EpochRunner implements AutoCloseable {

  private final Trainer trainer;
  private final BatchAssembler batches;
  private final TrainingConfig config;
  private final int batchSize;
  private final LearningRateSchedule schedule;
  private final PrintStream log;
  private final boolean progressBar;
  private final ExecutorService loader;

  EpochRunner(
      Trainer trainer,
      BatchAssembler batches,
      TrainingConfig config,
      int batchSize,
      LearningRateSchedule schedule,
      PrintStream log,
      boolean progressBar) {
    this.trainer = trainer;
    this.batches = batches;
    this.config = config;
    this.batchSize = batchSize;
    this.schedule = schedule;
    this.log = log;
    this.progressBar = progressBar;
    this.loader =
        Executors.newFixedThreadPool(
            config.loaderThreads(),
            r -> {
              Thread t = new Thread(r, "mmsearch-batch-loader");
              t.setDaemon(true);
              return t;
            });
  }

  /** Optimiser steps per epoch (batches of at least two items: one alone has no negative). */
  static int stepsPerEpoch(BatchAssembler batches, int batchSize) {
    return (int) batches.epochBatches(0, batchSize).stream().filter(b -> b.length >= 2).count();
  }

  /** What one epoch's steps did. */
  record Result(int steps, long images, double lossSum, StepTimings timings, double cpuSeconds) {
    double meanLoss() {
      return steps == 0 ? Double.NaN : lossSum / steps;
    }
  }

  /**
   * Runs epoch {@code epoch} (0-based).
   *
   * @param globalStep optimiser steps before this epoch (for the progress bar's learning rate)
   */
  Result run(int epoch, int globalStep) throws IOException {
    List<int[]> order =
        batches.epochBatches(epoch, batchSize).stream().filter(b -> b.length >= 2).toList();
    Deque<Future<TrainingBatch>> ahead = new ArrayDeque<>();
    int next = 0;
    int steps = 0;
    long images = 0;
    double lossSum = 0;
    long[] clock = new long[4]; // waiting, tensors, forward+backward, optimizer (ns)
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    ProgressBar bar = progressBar ? newBar(epoch, order.size()) : null;
    try {
      while (steps < order.size()) {
        while (next < order.size() && ahead.size() <= config.loaderThreads()) {
          int[] indices = order.get(next++);
          ahead.add(loader.submit(() -> batches.assemble(indices, epoch)));
        }
        long waitStart = System.nanoTime();
        TrainingBatch batch = take(ahead.poll());
        clock[0] += System.nanoTime() - waitStart;
        float stepLoss = step(batch, clock);
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
    return new Result(
        steps,
        images,
        lossSum,
        new StepTimings(clock[0] / 1e9, clock[1] / 1e9, clock[2] / 1e9, clock[3] / 1e9),
        (processCpuNanos() - cpuStart) / 1e9);
  }

  /** One optimiser step; returns the batch loss and adds its phases' nanoseconds to clock. */
  private float step(TrainingBatch batch, long[] clock) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      long t0 = System.nanoTime();
      NDList inputs = ModelInputs.of(scope, batch);
      NDList labels = ModelInputs.labels(scope, batch);
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
        clipGradients(config.gradientClipNorm());
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
  private void clipGradients(float maxNorm) {
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

  private ProgressBar newBar(int epoch, int steps) {
    return new ProgressBarBuilder()
        .setTaskName(String.format("epoch %d/%d", epoch + 1, config.epochs()))
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(log))
        .setUpdateIntervalMillis(500)
        .build();
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  @Override
  public void close() {
    loader.shutdownNow();
  }
}
