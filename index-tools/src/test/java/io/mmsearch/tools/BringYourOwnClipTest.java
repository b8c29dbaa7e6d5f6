package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.ClipStyleBundles;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.SearchServer;
import java.awt.Color;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own CLIP-style ONNX pair (here CLIP-shaped with random weights: pixel_values at 224 px
 * with CLIP's mean/std, a byte-level BPE tokenizer.json, input_ids/attention_mask, image_embeds /
 * text_embeds outputs), described by bundle.json alone, goes through index, search and serve with
 * no code.
 */
class BringYourOwnClipTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  static Path bundle;
  static Path images;
  static Path index;

  @BeforeAll
  static void indexWithTheClipBundle() throws Exception {
    bundle = root.resolve("my-clip");
    images = root.resolve("images");
    index = root.resolve("index");
    ClipStyleBundles.write(bundle, 21, false);
    Object[][] rows = {
      {"red-heart", Color.RED, true, "a red heart"},
      {"green-leaf", Color.GREEN, false, "a green leaf"},
      {"blue-cat", Color.BLUE, true, "a blue cat"},
      {"black-hat", Color.BLACK, false, "a black hat"},
    };
    StringBuilder manifest = new StringBuilder();
    for (Object[] r : rows) {
      TestImages.write(
          images.resolve(r[0] + ".png"), TestImages.shape((Color) r[1], (Boolean) r[2], "png"));
      manifest.append(
          String.format(
              "{\"id\":\"%s\",\"image\":\"%s.png\",\"caption\":\"%s\",\"class\":\"shapes\"}%n",
              r[0], r[0], r[3]));
    }
    Files.writeString(images.resolve("manifest.jsonl"), manifest);
    Cli r =
        Cli.run(
            "index",
            "--no-progress",
            images.resolve("manifest.jsonl").toString(),
            "--index",
            index.toString(),
            "--model",
            bundle.toString());
    assertEquals(0, r.exitCode(), r.err());
  }

  private static JsonNode search(String... args) throws Exception {
    String[] all = new String[args.length + 6];
    System.arraycopy(
        new String[] {
          "search", "--json", "--index", index.toString(), "--model", bundle.toString()
        },
        0,
        all,
        0,
        6);
    System.arraycopy(args, 0, all, 6, args.length);
    Cli r = Cli.run(all);
    assertEquals(0, r.exitCode(), r.err());
    return JSON.readTree(r.out());
  }

  @Test
  void verifyDescribesTheBundle() {
    Cli r = Cli.run("bundle", "verify", bundle.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("pixel_values 224x224"), r.out());
    assertTrue(r.out().contains("huggingface tokenizer (tokenizer.json), max 77 tokens"), r.out());
  }

  @Test
  void everyImageIsIndexedWithTheBundlesDimension() {
    Cli r = Cli.run("stats", "--json", "--index", index.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("\"documents\":4"), r.out());
    assertTrue(r.out().contains(String.valueOf(ClipStyleBundles.EMBEDDING)), r.out());
  }

  @Test
  void textSearchRanksEveryImage() throws Exception {
    JsonNode hits = search("-k", "4", "a red heart").get("hits");
    assertEquals(4, hits.size());
  }

  @Test
  void imageSearchFindsTheSameImageFirst() throws Exception {
    JsonNode hits =
        search("--image", images.resolve("blue-cat.png").toString(), "-k", "2").get("hits");
    assertEquals("blue-cat", hits.get(0).get("id").asText());
  }

  @Test
  void serveAnswersTextAndImageQueries() throws Exception {
    try (SearchSession session = SearchSession.open(index, bundle)) {
      SearchServer server = SearchServer.builder().session(session).index(index).port(0).build();
      server.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> text =
            http.send(
                HttpRequest.newBuilder(
                        server
                            .uri()
                            .resolve(
                                "/api/search?size=3&q="
                                    + URLEncoder.encode("a blue cat", StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, text.statusCode(), new String(text.body(), StandardCharsets.UTF_8));
        assertEquals(3, JSON.readTree(text.body()).get("hits").size());
        HttpResponse<byte[]> image =
            http.send(
                HttpRequest.newBuilder(server.uri().resolve("/api/search?size=1"))
                    .POST(
                        HttpRequest.BodyPublishers.ofByteArray(
                            Files.readAllBytes(images.resolve("green-leaf.png"))))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, image.statusCode(), new String(image.body(), StandardCharsets.UTF_8));
        assertEquals(
            "green-leaf", JSON.readTree(image.body()).get("hits").get(0).get("id").asText());
      } finally {
        server.stop();
      }
    }
  }
}
