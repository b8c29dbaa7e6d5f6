package io.mmsearch.encoders.ort;

import static io.mmsearch.encoders.ort.TextFeatureExtractorTest.cosine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.ClipStyleBundles;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CLIP-shaped ONNX pair described by bundle.json alone loads and encodes with no code. */
class ClipStyleBundleTest {
  private static final List<String> TEXTS =
      List.of("a red heart", "cat", "a red cat with a heart and a hat", "ab");

  @TempDir Path dir;

  private static DualEncoder open(Path bundle) throws IOException {
    return Encoders.open(EncoderCriteria.builder().bundle(bundle).intraOpThreads(1).build());
  }

  @Test
  void imagesAndTextsEncodeThroughTheDeclaredNames() throws IOException {
    ClipStyleBundles.write(dir, 1, false);
    try (DualEncoder enc = open(dir)) {
      assertEquals("pixel_values", enc.bundle().imageInputName());
      assertEquals("image_embeds", enc.bundle().imageOutputName());
      float[] image = enc.image().encode(png(Color.RED), "red.png");
      float[] text = enc.text().encode("a red heart");
      assertEquals(ClipStyleBundles.EMBEDDING, image.length);
      assertEquals(ClipStyleBundles.EMBEDDING, text.length);
      assertEquals(1.0, Math.sqrt(dot(image, image)), 1e-5, "normalised by the engine");
      assertEquals(1.0, Math.sqrt(dot(text, text)), 1e-5);
    }
  }

  @Test
  void eosPoolingOfTheHiddenStatesEqualsTheGraphsOwnEndOfTextEmbedding() throws IOException {
    ClipStyleBundles.write(dir.resolve("in-graph"), 1, false);
    ClipStyleBundles.write(dir.resolve("eos"), 1, true);
    try (DualEncoder inGraph = open(dir.resolve("in-graph"));
        DualEncoder eos = open(dir.resolve("eos"))) {
      List<float[]> a = inGraph.text().encodeBatch(TEXTS);
      List<float[]> b = eos.text().encodeBatch(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        assertTrue(cosine(a.get(i), b.get(i)) >= 0.9999, TEXTS.get(i));
        assertTrue(cosine(a.get(i), eos.text().encode(TEXTS.get(i))) >= 0.9999, "alone = batch");
      }
    }
  }

  @Test
  void poolingThatDoesNotMatchTheOutputRankIsRefusedAtLoad() throws IOException {
    ClipStyleBundles.write(dir, 1, false);
    edit(dir, json -> text(json).put("pooling", "eos"));
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> open(dir));
    assertTrue(e.getMessage().contains("pooling eos"), e.getMessage());
    assertTrue(e.getMessage().contains("text_embeds has rank 2"), e.getMessage());
    assertTrue(e.getMessage().contains("declare pooling none"), e.getMessage());
  }

  @Test
  void anInputTheGraphDoesNotHaveIsRefusedListingItsInputs() throws IOException {
    ClipStyleBundles.write(dir, 1, false);
    edit(dir, json -> ((ObjectNode) text(json).get("inputs")).put("token_type_ids", "segments"));
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> open(dir));
    assertTrue(e.getMessage().contains("text.onnx has inputs"), e.getMessage());
    assertTrue(e.getMessage().contains("segments"), e.getMessage());
  }

  @Test
  void aWrongImageInputNameIsRefusedNamingTheGraphsInputs() throws IOException {
    ClipStyleBundles.write(dir, 1, false);
    edit(dir, json -> ((ObjectNode) json.get("image")).put("input", "pixels"));
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> open(dir));
    assertTrue(e.getMessage().contains("image.onnx has inputs [pixel_values"), e.getMessage());
  }

  @Test
  void anUnknownInputRoleIsRefusedAtOpen() throws IOException {
    ClipStyleBundles.write(dir, 1, false);
    edit(dir, json -> ((ObjectNode) text(json).get("inputs")).put("position_ids", "pos"));
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("unknown input role 'position_ids'"), e.getMessage());
  }

  /** Edits bundle.json and re-fingerprints it, as a user assembling a bundle by hand would. */
  private static void edit(Path bundle, Consumer<ObjectNode> change) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = (ObjectNode) json.readTree(bundle.resolve("bundle.json").toFile());
    change.accept(tree);
    Files.writeString(bundle.resolve("bundle.json"), tree.toPrettyString());
    tree.remove("fingerprint");
    tree.remove("checksums");
    Files.writeString(bundle.resolve("bundle.json"), tree.toPrettyString());
    try {
      ModelBundle.refingerprint(bundle);
    } catch (InvalidBundleException e) {
      // Left without fingerprint: opening reports the descriptor's own error first.
    }
  }

  private static ObjectNode text(ObjectNode json) {
    return (ObjectNode) json.get("text");
  }

  private static byte[] png(Color c) throws IOException {
    java.awt.image.BufferedImage image =
        new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, 40, 30);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
