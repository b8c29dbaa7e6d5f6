package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path home;

  @Test
  void withoutTheDefaultModelItSaysSoAndFails() {
    Cli r = Cli.run("demo", "--home", home.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("default model is not there yet"), r.err());
  }

  @Test
  void indexesTheSampleRunsEachKindOfQueryAndPrintsTheServeCommand() throws Exception {
    Path data = home.resolve("sample-data");
    SampleIndex sample = SampleIndex.create(home.resolve("tmp"));
    Files.createDirectories(data.resolve("models"));
    Files.move(sample.bundle, data.resolve("models/default"));
    Files.move(sample.images, data.resolve("images"));
    Files.writeString(
        data.resolve("manifest.jsonl"),
        Files.readString(data.resolve("images/manifest.jsonl"))
            .replace("\"image\":\"", "\"image\":\"images/"));

    Cli first = Cli.run("demo", "--home", home.toString(), "-k", "3");
    assertEquals(0, first.exitCode(), first.err());
    assertTrue(first.out().contains("6 documents (6 added"), first.out());
    for (String section : new String[] {"Text:", "Image:", "Hybrid", "Filtered:"}) {
      assertTrue(first.out().contains(section), section + " in " + first.out());
    }
    assertTrue(
        first
            .out()
            .contains("./mmsearch serve --index demo-index --model sample-data/models/default"),
        first.out());
    assertTrue(Files.isDirectory(home.resolve("demo-index")));

    Cli second = Cli.run("demo", "--home", home.toString());
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(second.out().contains("6 unchanged"), second.out());
  }
}
