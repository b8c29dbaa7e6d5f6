package io.mmsearch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.TinyBundles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output contract of {@code mmsearch bench index --json} and {@code bench query --json} on a
 * tiny run with a tiny real model (no timing asserted).
 */
class IndexAndQueryBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> WORDS =
      List.of("red", "green", "blue", "circle", "square", "face", "cat", "dog");

  @TempDir static Path dir;
  static Path model;
  static Path manifest;

  @BeforeAll
  static void writeModelAndSamples() throws Exception {
    model = TinyBundles.write(dir.resolve("model"), 7, WORDS).directory();
    Path images = Files.createDirectories(dir.resolve("samples"));
    Random random = new Random(3);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
      Graphics2D g = image.createGraphics();
      g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
      g.fillOval(4 + i, 4, 40, 40 + i);
      g.dispose();
      String name = String.format(Locale.ROOT, "s%02d.png", i);
      ImageIO.write(image, "png", images.resolve(name).toFile());
      String caption = WORDS.get(i % WORDS.size()) + " " + WORDS.get((i + 3) % WORDS.size());
      lines.append(
          String.format(
              Locale.ROOT,
              "{\"id\":\"s%d\",\"image\":\"samples/%s\",\"caption\":\"%s\",\"class\":\"c%d\"}%n",
              i,
              name,
              caption,
              i % 3));
    }
    manifest = dir.resolve("manifest.jsonl");
    Files.writeString(manifest, lines);
  }

  @Test
  void indexBenchPrintsOneJsonLineWithPositiveThroughput() throws Exception {
    List<JsonNode> out =
        run(
            "index",
            "--model",
            model.toString(),
            "--samples",
            manifest.toString(),
            "--images",
            "40",
            "--breakdown-images",
            "10",
            "--work-dir",
            dir.resolve("index-run").toString(),
            "--json");
    assertEquals(1, out.size(), out.toString());
    JsonNode line = out.get(0);
    assertEquals("index", line.get("bench").asText());
    assertEquals(40, line.get("images").asLong(), "every augmented image is indexed");
    assertEquals(0, line.get("rejected").asLong());
    assertTrue(line.get("images_per_s").asDouble() > 0, line.toString());
    JsonNode stages = line.get("stage_cpu_ms_per_image");
    assertEquals(5, stages.size(), stages.toString());
  }

  @Test
  void queryBenchPrintsOneJsonLinePerModalityWithPositiveLatencies() throws Exception {
    List<JsonNode> out =
        run(
            "query",
            "--model",
            model.toString(),
            "--samples",
            manifest.toString(),
            "--docs",
            "300",
            "--real-images",
            "24",
            "--queries",
            "20",
            "--warmup",
            "5",
            "--repeated",
            "3",
            "--vector-format",
            "float32",
            "--oversample",
            "2",
            "--work-dir",
            dir.resolve("query-run").toString(),
            "--json");
    assertEquals(5, out.size(), out.toString());
    List<String> modalities = new ArrayList<>();
    for (JsonNode line : out) {
      assertEquals("query", line.get("bench").asText());
      assertEquals(300, line.get("docs").asInt());
      assertEquals(24, line.get("real_docs").asInt());
      assertEquals("FLOAT32", line.get("vector_format").asText(), "the settings are reported");
      assertEquals(2.0, line.get("oversample").asDouble());
      assertEquals(0, line.get("queries_without_hits").asInt(), line.toString());
      double p50 = line.get("p50_ms").asDouble();
      double p99 = line.get("p99_ms").asDouble();
      assertTrue(p50 > 0 && p99 >= p50, line.toString());
      modalities.add(line.get("modality").asText());
    }
    assertEquals(
        List.of("text", "image", "repeat", "repeat+cache", "repeat+cache+div"), modalities);
  }

  @Test
  void augmentedImagesAreDistinctFilesKeepingTheirSourceCaptions() throws Exception {
    var sources = AugmentedImageSet.readSources(manifest);
    AugmentedImageSet set = AugmentedImageSet.generate(sources, 50, 1, dir.resolve("aug"));
    assertEquals(50, set.items().size());
    assertEquals(
        50,
        set.items().stream()
            .map(i -> readUnchecked(i.file()))
            .map(ByteBuffer::wrap)
            .distinct()
            .count());
    assertEquals(sources.get(13 % 12).caption(), set.items().get(13).source().caption());
  }

  private static byte[] readUnchecked(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      exit = BenchCommand.commandLine().execute(args);
    } finally {
      System.setOut(original);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, text);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }
}
