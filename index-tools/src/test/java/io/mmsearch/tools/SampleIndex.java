package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mmsearch.encoders.TinyBundles;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A tiny indexed collection for search, stats and server tests: six shapes with captions. */
final class SampleIndex {
  private static final List<String> CAPTION_WORDS =
      List.of("red", "green", "blue", "square", "circle", "apple", "leaf", "sky");

  final Path bundle;
  final Path images;
  final Path manifest;
  final Path index;

  private SampleIndex(Path root) {
    this.bundle = root.resolve("bundle");
    this.images = root.resolve("images");
    this.manifest = images.resolve("manifest.jsonl");
    this.index = root.resolve("index");
  }

  static SampleIndex create(Path root) throws Exception {
    SampleIndex s = new SampleIndex(root);
    TinyBundles.write(s.bundle, 7, CAPTION_WORDS);
    StringBuilder lines = new StringBuilder();
    Object[][] rows = {
      {"red-square", Color.RED, false, "red square", "shapes"},
      {"red-circle", Color.RED, true, "red circle apple", "fruit"},
      {"green-circle", Color.GREEN, true, "green circle leaf", "nature"},
      {"green-square", Color.GREEN, false, "green square", "shapes"},
      {"blue-circle", Color.BLUE, true, "blue circle sky", "nature"},
      {"blue-square", Color.BLUE, false, "blue square", "shapes"},
    };
    for (Object[] r : rows) {
      String file = r[0] + ".png";
      TestImages.write(
          s.images.resolve(file), TestImages.shape((Color) r[1], (Boolean) r[2], "png"));
      lines.append(
          String.format(
              "{\"id\":\"%s\",\"image\":\"%s\",\"caption\":\"%s\",\"class\":\"%s\"}%n",
              r[0], file, r[3], r[4]));
    }
    Files.writeString(s.manifest, lines);
    Cli result =
        Cli.run(
            "index",
            "--no-progress",
            s.manifest.toString(),
            "--index",
            s.index.toString(),
            "--model",
            s.bundle.toString());
    assertEquals(0, result.exitCode(), result.err());
    return s;
  }

  /** Another tiny bundle and this index re-embedded with it by {@code mmsearch reindex}. */
  record Reindexed(Path bundle, Path index) {}

  /**
   * Writes another tiny bundle (another seed, the shared word list) to {@code root/new-bundle} and
   * re-embeds this index with it into {@code root/new-index}.
   */
  Reindexed reindexWithAnotherModel(Path root) throws Exception {
    Path newBundle = root.resolve("new-bundle");
    TinyBundles.write(newBundle, 11, TinyBundles.WORDS);
    Path newIndex = root.resolve("new-index");
    Cli r =
        Cli.run(
            "reindex",
            "--no-progress",
            "--index",
            index.toString(),
            "--model",
            newBundle.toString(),
            "--out",
            newIndex.toString());
    assertEquals(0, r.exitCode(), r.err());
    return new Reindexed(newBundle, newIndex);
  }
}
