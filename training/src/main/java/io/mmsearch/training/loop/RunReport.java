package io.mmsearch.training.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.training.data.DatasetProblem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run tells its user: the skipped items on the log, a summary line per epoch, and after
 * every epoch {@code metrics.json} (config, data summary, every skipped item, per-epoch metrics)
 * and {@code curves.png} in the output directory.
 */
final class RunReport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SHOWN_PROBLEMS = 20;

  private final TrainingConfig config;
  private final PrintStream log;

  RunReport(TrainingConfig config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  /** Prints the first skipped items (all of them go into metrics.json). */
  void problems(List<DatasetProblem> problems) {
    if (problems.isEmpty()) {
      return;
    }
    log.printf("skipped %d item(s):%n", problems.size());
    int shown = 0;
    for (DatasetProblem p : problems) {
      if (shown++ == SHOWN_PROBLEMS) {
        log.printf(
            "  ... and %d more (all listed in metrics.json)%n", problems.size() - SHOWN_PROBLEMS);
        break;
      }
      log.println("  " + p);
    }
  }

  /** The log line of a finished epoch. */
  void epoch(EpochMetrics m, boolean improved) {
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
    log.println(s);
  }

  /** Rewrites metrics.json and curves.png in {@code outDir}. */
  void write(Path outDir, TrainingData data, TrainingProgress progress) throws IOException {
    Files.createDirectories(outDir);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("dataset", data.datasetName());
    report.put("trainItems", data.train.size());
    report.put("validationItems", data.validation.size());
    report.put("prepareSeconds", data.prepareSeconds);
    report.put("bestEpoch", progress.bestEpoch());
    report.put("config", JSON.readTree(config.toJson()));
    report.put("architecture", data.architecture);
    report.put("epochs", progress.history());
    report.put("skipped", data.problems.stream().map(DatasetProblem::toString).toList());
    JSON.writerWithDefaultPrettyPrinter()
        .writeValue(outDir.resolve("metrics.json").toFile(), report);
    TrainingCurves.write(progress.history(), outDir.resolve("curves.png"));
  }
}
