package io.mmsearch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.TrainingOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {

  @TempDir static Path dir;
  static Path manifest;

  @BeforeAll
  static void data() throws IOException {
    manifest = SyntheticShapes.writeManifest(dir.resolve("data"), 2, 32, 3);
  }

  @Test
  void resumeContinuesAfterTheSavedEpoch() throws Exception {
    Path out = dir.resolve("resume");
    TrainingOutcome first =
        new DualEncoderTrainer(TrainingTestSupport.smallConfig().epochs(3).build(), quiet(), false)
            .train(manifest, out, false);
    // Simulate an interruption after epoch 2: the run is asked for 3 epochs, then resumed for 4.
    assertEquals(3, Checkpoint.read(DualEncoderTrainer.lastCheckpoint(out)).state().epoch());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingOutcome resumed =
        new DualEncoderTrainer(
                TrainingTestSupport.smallConfig().epochs(4).build(),
                new PrintStream(log, true, StandardCharsets.UTF_8),
                false)
            .train(manifest, out, true);
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("after epoch 3"), log.toString());
    assertEquals(List.of(1, 2, 3, 4), resumed.history().stream().map(m -> m.epoch()).toList());
    assertEquals(first.history(), resumed.history().subList(0, 3));
    assertEquals(4, Checkpoint.read(resumed.lastCheckpoint()).state().epoch());
  }

  @Test
  void checkpointOfAnotherArchitectureIsRefusedNamingBoth() throws Exception {
    Path out = dir.resolve("other-arch");
    new DualEncoderTrainer(TrainingTestSupport.smallConfig().epochs(1).build(), quiet(), false)
        .train(manifest, out, false);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new DualEncoderTrainer(
                        TrainingTestSupport.smallConfig()
                            .epochs(2)
                            .imageTower(32, List.of(8, 16))
                            .build(),
                        quiet(),
                        false)
                    .train(manifest, out, true));
    assertTrue(e.getMessage().contains("another architecture"), e.getMessage());
    assertTrue(
        e.getMessage().contains("[16, 32, 64]") && e.getMessage().contains("[8, 16]"),
        e.getMessage());
  }

  @Test
  void resumeWithoutCheckpointFailsClearly() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new DualEncoderTrainer(TrainingTestSupport.smallConfig().build(), quiet(), false)
                    .train(manifest, dir.resolve("nothing-here"), true));
    assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
  }

  static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream());
  }
}
