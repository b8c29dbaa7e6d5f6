package io.mmsearch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.TinyBundles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextEncodeBenchTest {
  @TempDir Path dir;

  @Test
  void printsEveryStageAtEveryBatchSizeWithPositiveLatencies() throws Exception {
    Path model = TinyBundles.write(dir.resolve("model"), 7).directory();
    StringBuilder lines = new StringBuilder();
    String[] captions = {"red heart", "a smiling face", "blue car", "green apple"};
    for (int i = 0; i < captions.length; i++) {
      ImageIO.write(
          new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB),
          "png",
          dir.resolve("s" + i + ".png").toFile());
      lines.append(
          String.format(
              "{\"id\":\"s%d\",\"image\":\"s%d.png\",\"caption\":\"%s\"}%n", i, i, captions[i]));
    }
    Path manifest = Files.writeString(dir.resolve("manifest.jsonl"), lines);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code =
          BenchCommand.commandLine()
              .execute(
                  "text",
                  "--model",
                  model.toString(),
                  "--samples",
                  manifest.toString(),
                  "--queries",
                  "4",
                  "--warmup",
                  "1",
                  "--batches",
                  "1,2",
                  "--max-tokens",
                  "16",
                  "--json");
    } finally {
      System.setOut(original);
    }
    assertEquals(0, code);
    List<JsonNode> rows = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("{")) {
        rows.add(json.readTree(line));
      }
    }
    assertEquals(10, rows.size(), "5 stages x 2 batch sizes: " + rows);
    for (JsonNode r : rows) {
      assertEquals("text", r.get("bench").asText());
      assertTrue(r.get("ms_per_text").asDouble() > 0, r.toString());
      assertTrue(r.get("p99_ms").asDouble() >= r.get("p50_ms").asDouble(), r.toString());
    }
  }
}
