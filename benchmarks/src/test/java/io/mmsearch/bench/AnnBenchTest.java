package io.mmsearch.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.TinyBundles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output contract of {@code mmsearch bench ann --json} on a tiny run of every data set and
 * every peer, with a tiny real model for {@code real-image} (no timing asserted).
 */
class AnnBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> WORDS =
      List.of("red", "green", "blue", "circle", "square", "face", "cat", "dog");
  private static final int DOCS = 600;

  @TempDir static Path dir;
  static List<JsonNode> rows = new ArrayList<>();
  static String jsonOutput;
  static int exitCode;

  @BeforeAll
  static void runTinyBenchmark() throws Exception {
    Path model = TinyBundles.write(dir.resolve("model"), 7, WORDS).directory();
    Path manifest = writeSamples(dir.resolve("samples"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      exitCode =
          BenchCommand.commandLine()
              .execute(
                  "ann",
                  "--data",
                  "hard,low-rank,real-image",
                  "--docs",
                  String.valueOf(DOCS),
                  "--queries",
                  "20",
                  "--dim",
                  "32",
                  "--candidates",
                  "10,40",
                  "--threads",
                  "1,2",
                  "--build-threads",
                  "2",
                  "--flat-queries",
                  "5",
                  "--java-flat-queries",
                  "3",
                  "--model",
                  model.toString(),
                  "--samples",
                  manifest.toString(),
                  "--cache-dir",
                  dir.resolve("cache").toString(),
                  "--output-dir",
                  dir.resolve("plots").toString(),
                  "--work-dir",
                  dir.toString(),
                  "--json");
    } finally {
      System.setOut(original);
    }
    jsonOutput = out.toString(StandardCharsets.UTF_8);
    for (String line : jsonOutput.split("\n")) {
      if (!line.isBlank()) {
        rows.add(JSON.readTree(line));
      }
    }
  }

  /** Twelve sample images with two-word captions and a manifest naming them. */
  static Path writeSamples(Path images) throws Exception {
    Files.createDirectories(images);
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
      lines.append(
          String.format(
              Locale.ROOT,
              "{\"id\":\"s%d\",\"image\":\"%s\",\"caption\":\"%s %s\",\"class\":\"c%d\"}%n",
              i,
              name,
              WORDS.get(i % WORDS.size()),
              WORDS.get((i + 3) % WORDS.size()),
              i % 3));
    }
    Path manifest = images.resolve("manifest.jsonl");
    Files.writeString(manifest, lines);
    return manifest;
  }

  private static List<JsonNode> rows(String data, String engine, String index) {
    return rows.stream()
        .filter(r -> r.get("data").asText().equals(data))
        .filter(r -> r.get("engine").asText().equals(engine))
        .filter(r -> r.get("index").asText().equals(index))
        .toList();
  }

  private static boolean calibrated(JsonNode row) {
    return row.hasNonNull("target_recall");
  }

  private static JsonNode lucene(String data, String format, int candidates, boolean rerank) {
    return rows(data, "lucene", "hnsw").stream()
        .filter(r -> r.get("format").asText().equals(format))
        .filter(r -> r.get("candidates").asInt() == candidates)
        .filter(r -> r.get("rerank").asBoolean() == rerank)
        .filter(r -> r.get("threads").asInt() == 1)
        .findFirst()
        .orElseThrow(() -> new AssertionError(data + " " + format + " " + candidates));
  }

  @Test
  void everyDataSetHasEveryPeerAndEveryLuceneConfiguration() {
    assertEquals(0, exitCode);
    for (String data : List.of("hard", "low-rank", "real-image")) {
      // FAISS flat: batched and single-query, on 1 and 2 threads.
      assertEquals(4, rows(data, "faiss", "flat").size(), data);
      // The Java scan, one thread.
      assertEquals(1, rows(data, "lucene", "flat").size(), data);
      // FAISS HNSW: 2 efSearch values x 2 thread counts.
      assertEquals(4, rows(data, "faiss", "hnsw").size(), data);
      // Lucene HNSW: 4 formats x 2 candidate counts x re-rank off/on x 2 thread counts, and the
      // calibrated rows beside them: the same x 3 target recalls (0.95, 0.98, 0.99), and on
      // real-image (which has text queries) once more with the image curve standing in for text.
      List<JsonNode> hnsw = rows(data, "lucene", "hnsw");
      assertEquals(32, hnsw.stream().filter(r -> !calibrated(r)).count(), data);
      assertEquals(
          data.equals("real-image") ? 96 : 48,
          hnsw.stream().filter(AnnBenchTest::calibrated).count(),
          data);
    }
  }

  @Test
  void rowsCarryTheKeysOfTheIssueWithSaneValues() {
    Set<String> required =
        Set.of(
            "bench",
            "data",
            "docs",
            "dim",
            "engine",
            "index",
            "format",
            "batched",
            "threads",
            "recall_at_10",
            "qps",
            "ram_bytes");
    for (JsonNode row : rows) {
      Set<String> keys = new TreeSet<>();
      row.fieldNames().forEachRemaining(keys::add);
      assertTrue(keys.containsAll(required), row.toString());
      assertEquals("ann", row.get("bench").asText());
      assertEquals(DOCS, row.get("docs").asInt(), row.toString());
      double recall = row.get("recall_at_10").asDouble();
      assertTrue(recall >= 0 && recall <= 1, row.toString());
      assertTrue(row.get("qps").asDouble() > 0, row.toString());
      assertTrue(row.get("ram_bytes").asLong() > 0, row.toString());
      if (row.get("index").asText().equals("hnsw")) {
        for (String key : List.of("m", "beam", "candidates", "rerank", "build_s")) {
          assertTrue(row.has(key), key + " in " + row);
        }
      } else {
        assertFalse(row.has("m"), row.toString());
      }
    }
  }

  @Test
  void flatSearchIsExact() {
    for (JsonNode row : rows) {
      if (row.get("index").asText().equals("flat")) {
        assertEquals(1.0, row.get("recall_at_10").asDouble(), 0.001, row.toString());
      }
    }
  }

  @Test
  void exactRerankOfEnoughCandidatesRecoversWhatQuantizationLoses() {
    for (String data : List.of("hard", "low-rank", "real-image")) {
      JsonNode int4 = lucene(data, "int4", 40, true);
      assertTrue(int4.get("recall_at_10").asDouble() >= 0.9, int4.toString());
    }
  }

  @Test
  void quantizedVectorsPlusGraphTakeLessRamThanFloats() {
    for (String data : List.of("hard", "low-rank", "real-image")) {
      long float32 = lucene(data, "float32", 10, false).get("ram_bytes").asLong();
      long int8 = lucene(data, "int8", 10, false).get("ram_bytes").asLong();
      long binary = lucene(data, "binary", 10, false).get("ram_bytes").asLong();
      assertTrue(int8 < float32, data + ": " + int8 + " vs " + float32);
      assertTrue(binary < int8, data + ": " + binary + " vs " + int8);
    }
  }

  @Test
  void realImageUsesTheModelsDimension() {
    assertTrue(
        rows.stream()
            .filter(r -> r.get("data").asText().equals("real-image"))
            .allMatch(r -> r.get("dim").asInt() != 64));
  }

  @Test
  void writesOnePngPlotPerDataSetAndCachesTheVectors() throws Exception {
    for (String data : List.of("hard", "low-rank", "real-image")) {
      Path png = dir.resolve("plots").resolve("ann-" + data + "-" + DOCS + ".png");
      byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
      try (var files = Files.list(dir.resolve("cache"))) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(data + "-")), data);
      }
    }
  }

  @Test
  void redrawsThePlotsFromSavedJsonOutput() throws Exception {
    Path saved = Files.writeString(dir.resolve("run.jsonl"), jsonOutput);
    Path plots = dir.resolve("replotted");
    int code =
        BenchCommand.commandLine()
            .execute("ann", "--plot-from", saved.toString(), "--output-dir", plots.toString());
    assertEquals(0, code);
    for (String data : List.of("hard", "low-rank", "real-image")) {
      assertTrue(Files.size(plots.resolve("ann-" + data + "-" + DOCS + ".png")) > 0, data);
    }
  }
}
