package io.mmsearch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.EpochMetrics;
import io.mmsearch.training.loop.TrainingOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DualEncoderTrainingTest {

  @TempDir Path dir;

  @Test
  void trainingLowersTheLossAndLiftsRecallFarAboveChance() throws Exception {
    Path manifest = SyntheticShapes.writeManifest(dir.resolve("data"), 4, 32, 1);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingOutcome outcome =
        new DualEncoderTrainer(
                TrainingTestSupport.smallConfig().epochs(12).build(),
                new PrintStream(log, true, StandardCharsets.UTF_8),
                false)
            .train(manifest, dir.resolve("out"), false);
    System.out.println(log.toString(StandardCharsets.UTF_8));

    EpochMetrics first = outcome.history().get(0);
    EpochMetrics best = outcome.best();
    assertTrue(
        outcome.history().getLast().trainLoss() < first.trainLoss() * 0.7,
        "loss should fall: "
            + first.trainLoss()
            + " -> "
            + outcome.history().getLast().trainLoss());
    double chance = 1.0 / SyntheticShapes.conceptCount();
    assertTrue(
        best.recall().textToImageAt1() > 10 * chance,
        "t2i R@1 " + best.recall().textToImageAt1() + " vs chance " + chance);
    assertTrue(Files.isRegularFile(dir.resolve("out/metrics.json")));
    assertTrue(Files.size(dir.resolve("out/curves.png")) > 1000);
    assertEquals(0, outcome.problems().size());
  }
}
