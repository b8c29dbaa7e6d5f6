package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mmsearch eval --compare}: the sample indexed with one tiny bundle and re-embedded with
 * another, evaluated on the same text and image queries, side by side.
 */
class EvalCompareTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] IDS = {
    "red-square", "red-circle", "green-circle", "green-square", "blue-circle", "blue-square"
  };

  @TempDir static Path dir;
  static SampleIndex sample;
  static Path newBundle;
  static Path newIndex;
  static Path textQueries;
  static Path imageQueries;

  @BeforeAll
  static void indexReindexAndWriteQueries() throws Exception {
    sample = SampleIndex.create(dir.resolve("sample"));
    SampleIndex.Reindexed reindexed = sample.reindexWithAnotherModel(dir);
    newBundle = reindexed.bundle();
    newIndex = reindexed.index();
    List<String> text = new ArrayList<>();
    List<String> image = new ArrayList<>();
    for (String id : IDS) {
      text.add(
          "{\"id\":\"t-%s\",\"text\":\"%s\",\"relevant\":[\"%s\"]}"
              .formatted(id, id.replace('-', ' '), id));
      image.add(
          "{\"id\":\"i-%s\",\"image\":\"%s\",\"relevant\":[\"%s\"]}"
              .formatted(id, sample.images.resolve(id + ".png"), id));
    }
    textQueries = Files.write(dir.resolve("text-queries.jsonl"), text);
    imageQueries = Files.write(dir.resolve("image-queries.jsonl"), image);
  }

  private static String[] compare(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "eval",
                "--compare",
                sample.index + ":" + sample.bundle,
                newIndex + ":" + newBundle,
                "--queries",
                textQueries.toString(),
                "--queries",
                imageQueries.toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void bothModelsArePrintedSideBySideWithWinsAndLossesAndAChart() throws Exception {
    Path chart = dir.resolve("compare.png");
    Cli r = Cli.run(compare("--chart", chart.toString()));

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("R@10 old/new"), r.out());
    assertTrue(r.out().contains("wins losses"), r.out());
    for (String mode : List.of("vector", "bm25", "rrf", "linear")) {
      assertTrue(r.out().contains(" " + mode + " "), mode + " line missing: " + r.out());
    }
    assertTrue(r.err().contains("evaluated old: " + sample.index), r.err());
    assertTrue(r.err().contains("evaluated new: " + newIndex), r.err());
    assertTrue(Files.size(chart) > 1000, "the chart is written");
  }

  @Test
  void theJsonHasBothModelsFiguresAndEveryQueryThatChanged() throws Exception {
    Cli r = Cli.run(compare("--json"));

    assertEquals(0, r.exitCode(), r.err());
    int lines = 0;
    int changedQueries = 0;
    int winsAndLosses = 0;
    for (String line : r.out().strip().split("\n")) {
      JsonNode o = JSON.readTree(line);
      if (o.get("type").asText().equals("line")) {
        lines++;
        if (o.get("task").asText().equals("zero_shot_class")) {
          assertTrue(o.get("old").has("accuracy") && o.get("new").has("accuracy"), line);
          continue;
        }
        assertTrue(o.get("old").has("mrr") && o.get("new").has("mrr"), line);
        int wins = o.get("wins").asInt();
        int losses = o.get("losses").asInt();
        assertEquals(6, wins + losses + o.get("ties").asInt(), "every query counted: " + line);
        winsAndLosses += wins + losses;
      } else {
        assertEquals("query", o.get("type").asText());
        assertTrue(Set.of("win", "loss").contains(o.get("outcome").asText()), line);
        assertTrue(o.get("old_rank").asInt() != o.get("new_rank").asInt(), line);
        changedQueries++;
      }
    }
    assertEquals(6, lines, "t2i in 4 modes, i2i in vector mode, zero-shot: " + r.out());
    assertEquals(winsAndLosses, changedQueries, "one query line per win or loss");
  }

  @Test
  void badCompareArgumentsAreRefusedWithExitCodeTwo() {
    Cli noColon =
        Cli.run(
            "eval",
            "--compare",
            sample.index.toString(),
            newIndex + ":" + newBundle,
            "--queries",
            textQueries.toString());
    assertEquals(2, noColon.exitCode());
    assertTrue(noColon.err().contains("INDEX:MODEL"), noColon.err());

    Cli withModel = Cli.run(compare("--model", newBundle.toString()));
    assertEquals(2, withModel.exitCode());
    assertTrue(withModel.err().contains("leave out --model"), withModel.err());

    Cli noQueries =
        Cli.run(
            "eval", "--compare", sample.index + ":" + sample.bundle, newIndex + ":" + newBundle);
    assertEquals(2, noQueries.exitCode());
    assertTrue(noQueries.err().contains("--queries"), noQueries.err());

    Cli swapped =
        Cli.run(
            "eval",
            "--compare",
            sample.index + ":" + newBundle,
            newIndex + ":" + newBundle,
            "--queries",
            textQueries.toString());
    assertEquals(2, swapped.exitCode(), "an index with another model's bundle: " + swapped.err());
  }
}
