package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.ModelBundle;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mmsearch train} end to end with the real frozen backbones (MobileNetV2 from the
 * image-backbone jar, all-MiniLM-L6-v2 from its Maven artifact) on a tiny real sample: 12 emoji
 * concepts of the shipped sample in both drawing styles, plus three items that cannot be used. The
 * bundle it writes is indexed and searched with the same command line.
 */
class TrainOnRealBackbonesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CONCEPTS = 12;

  @TempDir static Path dir;
  static Cli train;
  static Path bundle;
  static Path manifest;

  @BeforeAll
  static void train() throws Exception {
    Path sample = repositoryRoot().resolve("sample-data");
    List<String> lines = new ArrayList<>();
    Files.createDirectories(dir.resolve("images"));
    for (String line : Files.readAllLines(sample.resolve("manifest.jsonl"))) {
      JsonNode item = JSON.readTree(line);
      if (lines.size() == 2 * CONCEPTS) {
        break;
      }
      Path image = sample.resolve(item.get("image").asText());
      Path copy = dir.resolve("images").resolve(item.get("id").asText() + ".png");
      Files.copy(image, copy);
      lines.add(
          JSON.createObjectNode()
              .put("id", item.get("id").asText())
              .put("image", "images/" + copy.getFileName())
              .put("caption", item.get("caption").asText())
              .put("class", item.get("class").asText())
              .put("concept", item.get("concept").asText())
              .toString());
    }
    Path fifo = dir.resolve("images/a-pipe.png");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
    ImageIO.write(
        new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB),
        "png",
        dir.resolve("images/tiny.png").toFile());
    lines.add("{\"id\":\"gone\",\"image\":\"images/missing.png\",\"caption\":\"a lost picture\"}");
    lines.add("{\"id\":\"pipe\",\"image\":\"images/a-pipe.png\",\"caption\":\"a pipe\"}");
    lines.add("{\"id\":\"tiny\",\"image\":\"images/tiny.png\",\"caption\":\"a tiny picture\"}");
    manifest = Files.write(dir.resolve("train.jsonl"), lines, StandardCharsets.UTF_8);
    train =
        Cli.run(
            "train",
            "--data",
            manifest.toString(),
            "--out",
            dir.resolve("out").toString(),
            "--epochs",
            "3",
            "--batch-size",
            "8",
            "--validation-fraction",
            "0.2",
            "--split-by",
            "CONCEPT",
            "--image-feature-cache",
            dir.resolve("image-features").toString(),
            "--feature-cache",
            dir.resolve("text-features").toString(),
            "--no-progress",
            "--json");
    bundle = dir.resolve("out/bundle");
  }

  @Test
  void trainingWritesABundleOnTheFrozenImageBackbone() throws Exception {
    assertEquals(0, train.exitCode(), train.err());
    JsonNode result = JSON.readTree(train.out());
    assertTrue(result.get("parity_min_cosine").asDouble() >= 0.9999, train.out());
    ModelBundle opened = ModelBundle.open(bundle);
    assertEquals("nsfwjs-4.4.0/mobilenet_v2", opened.imageBackboneSpec().name());
    assertEquals(128, opened.imageSpec().size());
  }

  @Test
  void unusableItemsAreReportedOneByOneAndTheRunGoesOn() throws Exception {
    assertEquals(0, train.exitCode(), train.err());
    JsonNode result = JSON.readTree(train.out());
    assertEquals(3, result.get("skipped").asInt(), train.err());
    String err = train.err();
    assertTrue(err.contains("gone: image file missing"), err);
    assertTrue(err.contains("pipe: image refused: "), err);
    assertTrue(err.contains("tiny: image unusable") && err.contains("16x16 px"), err);
    assertEquals(
        2 * CONCEPTS,
        result.get("train_items").asInt() + result.get("validation_items").asInt(),
        train.out());
  }

  @Test
  void theBundleIndexesAndSearchesByTextAndByImage() throws Exception {
    assertEquals(0, train.exitCode(), train.err());
    Path good = dir.resolve("good.jsonl");
    List<String> usable =
        Files.readAllLines(manifest).stream()
            .filter(
                l -> !l.contains("\"gone\"") && !l.contains("\"pipe\"") && !l.contains("\"tiny\""))
            .toList();
    Files.write(good, usable, StandardCharsets.UTF_8);
    Path index = dir.resolve("index");
    Cli indexed =
        Cli.run(
            "index",
            "--no-progress",
            good.toString(),
            "--index",
            index.toString(),
            "--model",
            bundle.toString());
    assertEquals(0, indexed.exitCode(), indexed.err());

    Cli byText =
        Cli.run(
            "search",
            "--json",
            "--index",
            index.toString(),
            "--model",
            bundle.toString(),
            "-k",
            "5",
            "grinning face");
    assertEquals(0, byText.exitCode(), byText.err());
    assertEquals(5, JSON.readTree(byText.out()).get("hits").size(), byText.out());

    Path query =
        dir.resolve("images").resolve(JSON.readTree(usable.get(0)).get("id").asText() + ".png");
    Cli byImage =
        Cli.run(
            "search",
            "--json",
            "--index",
            index.toString(),
            "--model",
            bundle.toString(),
            "-k",
            "3",
            "--image",
            query.toString());
    assertEquals(0, byImage.exitCode(), byImage.err());
    JsonNode first = JSON.readTree(byImage.out()).get("hits").get(0);
    assertEquals(
        JSON.readTree(usable.get(0)).get("id").asText(),
        first.get("id").asText(),
        "an indexed image finds itself first: " + byImage.out());
  }

  @Test
  void bothEnginesServeTheSameVectors() throws Exception {
    assertEquals(0, train.exitCode(), train.err());
    List<byte[]> images = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(manifest).subList(0, 4)) {
      Path file = dir.resolve(JSON.readTree(line).get("image").asText());
      images.add(Files.readAllBytes(file));
      names.add(file.toString());
    }
    List<String> texts = List.of("grinning face", "a cup of hot coffee");
    try (DualEncoder ort = Encoders.open(EncoderCriteria.builder().bundle(bundle).build());
        DualEncoder torch =
            Encoders.open(EncoderCriteria.builder().bundle(bundle).engine("pytorch").build())) {
      List<float[]> a = ort.image().encodeBatch(images);
      List<float[]> b = torch.image().encodeBatch(images);
      for (int i = 0; i < a.size(); i++) {
        assertTrue(cosine(a.get(i), b.get(i)) >= 0.9999, "image " + names.get(i));
      }
      List<float[]> c = ort.text().encodeBatch(texts);
      List<float[]> d = torch.text().encodeBatch(texts);
      for (int i = 0; i < c.size(); i++) {
        assertTrue(cosine(c.get(i), d.get(i)) >= 0.9999, texts.get(i));
      }
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("sample-data/manifest.jsonl"))) {
        return p;
      }
    }
    throw new IllegalStateException("sample-data not found above " + Path.of("").toAbsolutePath());
  }
}
