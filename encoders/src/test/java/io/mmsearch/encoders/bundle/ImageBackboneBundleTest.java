package io.mmsearch.encoders.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.encoders.image.PretrainedImageBackbones;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format-3 bundles whose image side references a pretrained backbone by name and SHA-256: what is
 * written, what the fingerprint covers, and how a bundle naming an unknown or another backbone is
 * refused. (Running them: {@code ort.ImageBackboneEncoderTest}.)
 */
class ImageBackboneBundleTest {
  static final int F = PretrainedImageBackbones.MOBILENET_V2_NSFWJS.dimension();

  @TempDir Path dir;

  static byte[] zeroHead(int in, int out) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("head");
    String x = g.input("features", ElementType.FLOAT, Dim.batch(), Dim.of(in));
    String w = g.initializer("w", new float[in * out], out, in);
    g.output("embedding", g.gemm(x, w, null, true), ElementType.FLOAT, Dim.batch(), Dim.of(out));
    return g.build().toByteArray();
  }

  private ModelBundle write() throws IOException {
    return TinyBundles.writer(5)
        .imageSpec(PretrainedImageBackbones.mobileNetV2Input(128))
        .imageBackbone(PretrainedImageBackbones.MOBILENET_V2_NSFWJS)
        .imageModel(zeroHead(F, TinyBundles.EMBEDDING))
        .build()
        .write(dir);
  }

  /** Edits bundle.json as read and writes it back with a fresh fingerprint (a deliberate edit). */
  private void edit(Consumer<ObjectNode> change) throws IOException {
    ObjectNode tree = (ObjectNode) BundleJson.MAPPER.readTree(dir.resolve("bundle.json").toFile());
    change.accept(tree);
    tree.remove("fingerprint");
    tree.remove("checksums");
    BundleDescriptorFile.write(dir, tree, List.of("image.onnx", "text.onnx", "vocab.txt"));
  }

  private static ObjectNode backbone(ObjectNode tree) {
    return (ObjectNode) tree.path("image").path("backbone");
  }

  @Test
  void theBackboneIsReferencedNotCopiedInFormat3() throws IOException {
    ModelBundle b = write();
    assertEquals(3, b.formatVersion());
    assertEquals(PretrainedImageBackbones.MOBILENET_V2_NSFWJS, b.imageBackboneSpec());
    assertEquals("features", b.imageInputName());
    assertTrue(b.imageBackbone().where().startsWith("class path"), b.imageBackbone().where());
    assertFalse(Files.exists(dir.resolve(PretrainedImageBackbones.MOBILENET_V2_FILE)));
    String json = Files.readString(dir.resolve("bundle.json"));
    assertTrue(json.contains("\"min_size\" : 32"), json);
    assertTrue(json.contains(PretrainedImageBackbones.MOBILENET_V2_NSFWJS.sha256()), json);
  }

  @Test
  void bundlesWithoutAnImageBackboneAreStillWrittenInFormat2() throws IOException {
    ModelBundle b = TinyBundles.write(dir, 5);
    assertEquals(2, b.formatVersion());
    assertNull(b.imageBackboneSpec());
    assertEquals("pixels", b.imageInputName());
  }

  @Test
  void theFingerprintCoversTheBackboneHash() throws IOException {
    write();
    ObjectNode tree = (ObjectNode) BundleJson.MAPPER.readTree(dir.resolve("bundle.json").toFile());
    backbone(tree).put("sha256", "ab".repeat(32));
    BundleJson.MAPPER.writeValue(dir.resolve("bundle.json").toFile(), tree);
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("setting image.backbone.sha256 changed"), e.getMessage());
  }

  @Test
  void aBundleNamingAnUnknownBackboneIsRefusedNamingItAndTheKnownOnes() throws IOException {
    write();
    edit(t -> backbone(t).put("name", "someone/else-net").put("file", "else-net.onnx"));
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(
        e.getMessage().contains("names an unknown backbone 'someone/else-net' (file else-net.onnx"),
        e.getMessage());
    assertTrue(e.getMessage().contains("[nsfwjs-4.4.0/mobilenet_v2]"), e.getMessage());
  }

  @Test
  void anUnknownBackboneBesideBundleJsonIsAUsersOwnAndLoads() throws IOException {
    write();
    byte[] own = zeroHead(3, 2); // any file: ModelBundle checks presence and size; engines hash it
    Files.write(dir.resolve("own.onnx"), own);
    edit(
        t ->
            backbone(t)
                .put("name", "my/own")
                .put("file", "own.onnx")
                .put("size", own.length)
                .put("sha256", "cd".repeat(32)));
    assertEquals("my/own", ModelBundle.open(dir).imageBackboneSpec().name());
  }

  @Test
  void aKnownBackboneNameWithAnotherHashIsRefusedNamingBothHashes() throws IOException {
    write();
    edit(t -> backbone(t).put("sha256", "ab".repeat(32)));
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("with SHA-256 " + "ab".repeat(32)), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "this build provides has SHA-256 "
                    + PretrainedImageBackbones.MOBILENET_V2_NSFWJS.sha256()),
        e.getMessage());
  }

  @Test
  void anImageBackboneInAFormat2BundleIsRefused() throws IOException {
    write();
    ObjectNode tree = (ObjectNode) BundleJson.MAPPER.readTree(dir.resolve("bundle.json").toFile());
    tree.put("format_version", 2);
    BundleJson.MAPPER.writeValue(dir.resolve("bundle.json").toFile(), tree);
    InvalidBundleException e =
        assertThrows(InvalidBundleException.class, () -> ModelBundle.open(dir));
    assertTrue(e.getMessage().contains("image.backbone needs format_version 3"), e.getMessage());
  }

  @Test
  void refingerprintKeepsFormat3ForABackboneBundle() throws IOException {
    write();
    assertEquals(3, ModelBundle.refingerprint(dir).bundle().formatVersion());
  }
}
