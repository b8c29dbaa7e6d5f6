package io.mmsearch.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output contract of {@code mmsearch bench ann --json} on a tiny run (no timing asserted). */
class AnnBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Map<String, JsonNode> byConfig = new LinkedHashMap<>();
  static int exitCode;

  @BeforeAll
  static void runTinyBenchmark() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      exitCode =
          BenchCommand.commandLine()
              .execute(
                  "ann",
                  "--docs",
                  "1200",
                  "--queries",
                  "30",
                  "--formats",
                  "float32,int8",
                  "--oversample",
                  "1,5",
                  "--java-flat-queries",
                  "10",
                  "--json",
                  "--plot",
                  dir.resolve("plot.png").toString(),
                  "--work-dir",
                  dir.toString());
    } finally {
      System.setOut(original);
    }
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        JsonNode node = JSON.readTree(line);
        byConfig.put(node.get("config").asText(), node);
      }
    }
  }

  @Test
  void printsOneJsonObjectPerConfiguration() {
    assertEquals(0, exitCode);
    String[] expected = {
      "faiss-flat",
      "java-flat",
      "rerank-faiss-100",
      "rerank-java-100",
      "rerank-faiss-1000",
      "rerank-java-1000",
      "hnsw-float32-os1",
      "hnsw-float32-os1-rerank",
      "hnsw-float32-os5",
      "hnsw-float32-os5-rerank",
      "hnsw-int8-os1",
      "hnsw-int8-os1-rerank",
      "hnsw-int8-os5",
      "hnsw-int8-os5-rerank"
    };
    assertArrayEquals(expected, byConfig.keySet().toArray(String[]::new));
    for (JsonNode node : byConfig.values()) {
      assertEquals(1200, node.get("docs").asInt(), node.toString());
      if (node.has("recall_at_10")) {
        double recall = node.get("recall_at_10").asDouble();
        assertTrue(recall >= 0 && recall <= 1, node.toString());
        assertTrue(node.get("qps").asDouble() > 0, node.toString());
        assertTrue(node.get("vector_bytes").asLong() > 0, node.toString());
      } else {
        assertTrue(node.get("us_per_query").asDouble() > 0, node.toString());
      }
    }
  }

  @Test
  void flatBaselinesAreExactAndRerankWithEnoughCandidatesIsNearlyExact() {
    assertEquals(1.0, byConfig.get("faiss-flat").get("recall_at_10").asDouble());
    assertTrue(byConfig.get("java-flat").get("recall_at_10").asDouble() >= 0.99);
    assertTrue(byConfig.get("hnsw-int8-os5-rerank").get("recall_at_10").asDouble() >= 0.9);
  }

  @Test
  void quantizedVectorsAreSmallerThanFloatsButTheFloatsStayOnDisk() {
    long floatVectors = byConfig.get("hnsw-float32-os1").get("vector_bytes").asLong();
    long int8Vectors = byConfig.get("hnsw-int8-os1").get("vector_bytes").asLong();
    long int8Disk = byConfig.get("hnsw-int8-os1").get("disk_bytes").asLong();
    assertTrue(int8Vectors * 3 < floatVectors, int8Vectors + " vs " + floatVectors);
    assertTrue(int8Disk > floatVectors, "int8 disk keeps the raw floats: " + int8Disk);
  }

  @Test
  void writesThePlotAsPng() throws Exception {
    byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve("plot.png")), 4);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
  }
}
