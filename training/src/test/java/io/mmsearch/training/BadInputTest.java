package io.mmsearch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.image.SpecialFiles;
import io.mmsearch.training.data.DatasetProblem;
import io.mmsearch.training.data.ExampleSource;
import io.mmsearch.training.loop.DualEncoderTrainer;
import io.mmsearch.training.loop.TrainingDataException;
import io.mmsearch.training.loop.TrainingOutcome;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {

  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void specialFilesAreSkippedNamingWhatEachIsWhileTheRestTrains() throws Exception {
    Path manifest = SyntheticShapes.writeManifest(dir, 2, 32, 4);
    SpecialFiles.namedPipe(dir.resolve("images/pipe.png"));
    SpecialFiles.socket(dir.resolve("images/socket.png"));
    SpecialFiles.largerThanTheHeap(dir.resolve("images/sparse.png"));
    List<String> lines = new ArrayList<>(Files.readAllLines(manifest));
    try (SpecialFiles.Growing growing =
        SpecialFiles.growing(dir.resolve("images/growing.png"), 64 << 20)) {
      for (String[] item :
          new String[][] {
            {"pipe", "images/pipe.png"},
            {"socket", "images/socket.png"},
            {"zero", SpecialFiles.ZERO_DEVICE.toString()},
            {"sparse", "images/sparse.png"},
            {"growing", "images/growing.png"}
          }) {
        lines.add(
            "{\"id\":\"%s\",\"image\":\"%s\",\"caption\":\"a red circle\"}"
                .formatted(item[0], item[1]));
      }
      Files.write(manifest, lines);

      TrainingOutcome outcome = trainOneEpoch(manifest, quiet());

      String problems = outcome.problems().toString();
      assertEquals(5, outcome.problems().size(), problems);
      assertTrue(problems.contains("pipe: image refused: ") && problems.contains("named pipe"));
      assertTrue(problems.contains("socket: image refused: ") && problems.contains("a socket"));
      assertTrue(problems.contains("zero: image refused: /dev/zero: not a regular file"));
      assertTrue(problems.contains("sparse: image refused: "), problems);
      assertTrue(problems.contains("growing: image refused: "), problems);
      assertTrue(problems.contains("limit of 268435456 bytes"), problems);
      assertEquals(2 * SyntheticShapes.conceptCount(), outcome.trainItems());
    }
  }

  @Test
  void badItemsAreSkippedCountedAndNamedWhileTheRestTrains() throws Exception {
    Path manifest = SyntheticShapes.writeManifest(dir, 2, 32, 4);
    Files.write(dir.resolve("images/corrupt.png"), new byte[] {1, 2, 3, 4});
    List<String> lines = new ArrayList<>(Files.readAllLines(manifest));
    lines.add("{\"id\":\"gone\",\"image\":\"images/missing.png\",\"caption\":\"a lost shape\"}");
    lines.add(
        "{\"id\":\"broken\",\"image\":\"images/corrupt.png\",\"caption\":\"a broken shape\"}");
    lines.add("{\"id\":\"silent\",\"image\":\"images/red-circle-white-0.png\",\"caption\":\"  \"}");
    lines.add("{\"id\":\"dots\",\"image\":\"images/red-circle-white-1.png\",\"caption\":\"...\"}");
    lines.add("this is not json");
    Files.write(manifest, lines);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    TrainingOutcome outcome =
        trainOneEpoch(manifest, new PrintStream(log, true, StandardCharsets.UTF_8));

    String problems = outcome.problems().toString();
    assertEquals(5, outcome.problems().size(), problems);
    assertTrue(problems.contains("gone: image file missing"), problems);
    assertTrue(problems.contains("broken: image not decodable"), problems);
    assertTrue(problems.contains("silent") && problems.contains("empty caption"), problems);
    assertTrue(problems.contains("dots") && problems.contains("no usable caption"), problems);
    assertEquals(2 * SyntheticShapes.conceptCount(), outcome.trainItems());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("skipped 5 item(s)"));
  }

  /** One epoch of the small model, every item in training (no validation split). */
  private TrainingOutcome trainOneEpoch(Path manifest, PrintStream log) throws Exception {
    return new DualEncoderTrainer(
            TrainingTestSupport.smallConfig()
                .epochs(1)
                .validation(0, io.mmsearch.training.data.DatasetSplit.SplitBy.ID)
                .build(),
            log,
            false)
        .train(manifest, dir.resolve("out"), false);
  }

  @Test
  void imageHeadRunsReportMissingSpecialAndTooSmallImagesPerItemAndTrainOnTheRest()
      throws Exception {
    Path manifest = SyntheticShapes.writeManifest(dir, 2, 32, 4);
    Path fifo = dir.resolve("images/a-pipe.png");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor(), "mkfifo");
    SyntheticShapes.writePng(dir.resolve("images/tiny.png"), "red", "circle", "white", 6);
    Files.createDirectories(dir.resolve("images/a-folder.png"));
    List<String> lines = new ArrayList<>(Files.readAllLines(manifest));
    lines.add("{\"id\":\"gone\",\"image\":\"images/missing.png\",\"caption\":\"a lost shape\"}");
    lines.add("{\"id\":\"pipe\",\"image\":\"images/a-pipe.png\",\"caption\":\"a pipe\"}");
    lines.add("{\"id\":\"tiny\",\"image\":\"images/tiny.png\",\"caption\":\"a tiny circle\"}");
    lines.add("{\"id\":\"folder\",\"image\":\"images/a-folder.png\",\"caption\":\"a folder\"}");
    Files.write(manifest, lines);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    TrainingOutcome outcome =
        new DualEncoderTrainer(
                TrainingTestSupport.smallConfig()
                    .imageTower(io.mmsearch.training.model.ImageTowerKind.BACKBONE_HEAD)
                    .imageHead(32, 64, 0.1f, 2)
                    .epochs(1)
                    .validation(0, io.mmsearch.training.data.DatasetSplit.SplitBy.ID)
                    .build(),
                new PrintStream(log, true, StandardCharsets.UTF_8),
                false,
                null,
                io.mmsearch.training.data.ImageFeatureCache.open(
                    new CellMeanFeatures(32, 2, 16, "bad-input"), dir.resolve("cache")))
            .train(manifest, dir.resolve("out"), false);

    String problems = outcome.problems().toString();
    assertEquals(4, outcome.problems().size(), problems);
    assertTrue(problems.contains("gone: image file missing"), problems);
    assertTrue(problems.contains("pipe: image refused: "), problems);
    assertTrue(problems.contains("folder: image refused: "), problems);
    assertTrue(
        problems.contains("tiny: image unusable:")
            && problems.contains("6x6 px, smaller than the 16 px"),
        problems);
    assertEquals(2 * SyntheticShapes.conceptCount(), outcome.trainItems());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("skipped 4 item(s)"));
  }

  @Test
  void aPipeInTheManifestIsNeverOpenedByTheCnnRunEither() throws Exception {
    Path manifest = SyntheticShapes.writeManifest(dir, 1, 32, 4);
    Path fifo = dir.resolve("images/a-pipe.png");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
    List<String> lines = new ArrayList<>(Files.readAllLines(manifest));
    lines.add("{\"id\":\"pipe\",\"image\":\"images/a-pipe.png\",\"caption\":\"a pipe\"}");
    Files.write(manifest, lines);
    TrainingOutcome outcome =
        new DualEncoderTrainer(
                TrainingTestSupport.smallConfig()
                    .epochs(1)
                    .validation(0, io.mmsearch.training.data.DatasetSplit.SplitBy.ID)
                    .build(),
                quiet(),
                false)
            .train(manifest, dir.resolve("out"), false);
    assertEquals(1, outcome.problems().size(), outcome.problems().toString());
    assertTrue(outcome.problems().get(0).toString().contains("pipe: image refused: "));
  }

  @Test
  void anEmptyDatasetIsFatalWithAClearMessage() throws Exception {
    Path manifest = Files.writeString(dir.resolve("empty.jsonl"), "");
    TrainingDataException e =
        assertThrows(
            TrainingDataException.class,
            () ->
                new DualEncoderTrainer(TrainingTestSupport.smallConfig().build(), quiet(), false)
                    .train(manifest, dir.resolve("out"), false));
    assertTrue(e.getMessage().contains("nothing to train on"), e.getMessage());
  }

  @Test
  void aDatasetOfOnlyBadItemsIsFatalAndListsThem() throws Exception {
    Path manifest =
        Files.writeString(
            dir.resolve("bad.jsonl"),
            "{\"id\":\"a\",\"image\":\"nope-a.png\",\"caption\":\"x\"}\n"
                + "{\"id\":\"b\",\"image\":\"nope-b.png\",\"caption\":\"y\"}\n");
    TrainingDataException e =
        assertThrows(
            TrainingDataException.class,
            () ->
                new DualEncoderTrainer(TrainingTestSupport.smallConfig().build(), quiet(), false)
                    .train(manifest, dir.resolve("out"), false));
    assertTrue(e.getMessage().contains("0 usable training item"), e.getMessage());
    assertTrue(e.getMessage().contains("nope-a.png"), e.getMessage());
  }

  @Test
  void aDatasetSmallerThanOneBatchTrainsWithASmallerBatch() throws Exception {
    Path manifest = SyntheticShapes.writeManifest(dir, 1, 32, 5);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingOutcome outcome =
        new DualEncoderTrainer(
                TrainingTestSupport.smallConfig().epochs(1).batchSize(200).build(),
                new PrintStream(log, true, StandardCharsets.UTF_8),
                false)
            .train(manifest, dir.resolve("out"), false);
    assertEquals(1, outcome.history().size());
    assertTrue(
        log.toString(StandardCharsets.UTF_8).contains("fewer than one batch of 200"),
        log.toString(StandardCharsets.UTF_8));
  }

  @Test
  void folderLayoutReportsUnknownClassesAndClassesWithoutDescriptions() throws Exception {
    Random random = new Random(1);
    for (String cls : List.of("circle", "square")) {
      Files.createDirectories(dir.resolve(cls));
      for (int i = 0; i < 2; i++) {
        ImageIO.write(
            SyntheticShapes.draw(cls, Color.RED, Color.WHITE, 32, random),
            "png",
            dir.resolve(cls).resolve(i + ".png").toFile());
      }
    }
    Files.writeString(
        dir.resolve(ExampleSource.DESCRIPTIONS_FILE),
        "# class<TAB>description\ncircle\ta red circle\ncircle\ta round red shape\n"
            + "hexagon\ta six-sided shape\nbroken line without tab\n");

    ExampleSource.Examples read = ExampleSource.read(dir);

    assertEquals(2, read.examples().size());
    assertEquals(List.of("a red circle", "a round red shape"), read.examples().get(0).captions());
    List<String> problems = read.problems().stream().map(DatasetProblem::toString).toList();
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("unknown class")), problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.contains("square") && p.contains("no line")),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("expected 'class<TAB>description'")));
  }

  static PrintStream quiet() {
    return new PrintStream(java.io.OutputStream.nullOutputStream());
  }
}
