package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input errors of {@code mmsearch train}; training itself is tested in the training module. */
class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void anEmptyManifestExitsWithTwoAndSaysThereIsNothingToTrainOn() throws Exception {
    Path manifest = Files.writeString(dir.resolve("empty.jsonl"), "");
    Cli r = Cli.run("train", "--data", manifest.toString(), "--out", dir.resolve("out").toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("nothing to train on"), r.err());
  }

  @Test
  void anUnknownConfigKeyExitsWithTwoNamingTheFile() throws Exception {
    Path manifest = Files.writeString(dir.resolve("m.jsonl"), "");
    Path config = Files.writeString(dir.resolve("train.json"), "{\"epochz\": 3}");
    Cli r =
        Cli.run(
            "train",
            "--data",
            manifest.toString(),
            "--out",
            dir.resolve("out").toString(),
            "--config",
            config.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("train.json") && r.err().contains("epochz"), r.err());
  }

  @Test
  void resumingWithoutACheckpointExitsWithTwo() throws Exception {
    Path manifest =
        Files.writeString(
            dir.resolve("one.jsonl"), "{\"id\":\"a\",\"image\":\"a.png\",\"caption\":\"x\"}\n");
    Cli r =
        Cli.run(
            "train",
            "--data",
            manifest.toString(),
            "--out",
            dir.resolve("out").toString(),
            "--resume");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("no checkpoint"), r.err());
  }
}
