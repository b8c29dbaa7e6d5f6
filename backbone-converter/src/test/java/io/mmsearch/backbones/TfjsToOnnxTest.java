package io.mmsearch.backbones;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Converting nsfwjs's MobileNetV2: layout, sizes, determinism, the pinned hash, bad taps. */
class TfjsToOnnxTest {
  private static TfjsLayersModel model;
  private static ConvertedBackbone shipped;

  @BeforeAll
  static void convert() throws Exception {
    model = MobileNetV2Nsfwjs.fetch(TestPaths.npmCache());
    shipped = MobileNetV2Nsfwjs.shipped(model);
  }

  @Test
  void theShippedGraphHasThePinnedHashAndLayout() {
    assertEquals(MobileNetV2Nsfwjs.SHIPPED_SHA256, shipped.sha256());
    assertEquals(5568, shipped.dimension());
    assertEquals(
        List.of(
            new ConvertedBackbone.Slice(Tap.grid("block_11_expand_relu", 2), 0, 2304),
            new ConvertedBackbone.Slice(Tap.grid("block_13_expand_relu", 2), 2304, 2304),
            new ConvertedBackbone.Slice(Tap.global("block_16_expand_relu"), 4608, 960)),
        shipped.layout());
    // Five stride-2 stages before block_16: 32 px give block_16 one row.
    assertEquals(32, shipped.minSize());
  }

  @Test
  void conversionIsDeterministic() {
    assertArrayEquals(
        shipped.onnx(), MobileNetV2Nsfwjs.convert(model, MobileNetV2Nsfwjs.SHIPPED_TAPS).onnx());
  }

  @Test
  void aGraphWhoseHashDiffersFromThePinIsAClearError() {
    ConvertedBackbone other =
        MobileNetV2Nsfwjs.convert(model, List.of(Tap.global("block_16_expand_relu")));
    PinnedHashException e =
        assertThrows(
            PinnedHashException.class,
            () ->
                PinnedHashException.check(
                    MobileNetV2Nsfwjs.SHIPPED_FILE, other, MobileNetV2Nsfwjs.SHIPPED_SHA256));
    assertTrue(e.getMessage().contains(MobileNetV2Nsfwjs.SHIPPED_FILE), e.getMessage());
    assertTrue(e.getMessage().contains("has SHA-256 " + other.sha256()), e.getMessage());
    assertTrue(e.getMessage().contains("pins " + MobileNetV2Nsfwjs.SHIPPED_SHA256), e.getMessage());
  }

  @Test
  void theGraphTakesAnyInputSizeFromTheMinimumOn() throws Exception {
    for (int size : new int[] {32, 96, 131}) {
      float[][] rows =
          BackboneRunner.run(shipped, SyntheticImages.batch(new int[] {5}, size), 1, size);
      assertEquals(5568, rows[0].length);
      for (float v : rows[0]) {
        assertTrue(v >= 0 && v <= 6, size + " px: ReLU6 features lie in [0, 6], got " + v);
      }
    }
  }

  @Test
  void anInputBelowTheMinimumFailsInTheRuntime() {
    assertThrows(
        OrtException.class,
        () -> BackboneRunner.run(shipped, SyntheticImages.batch(new int[] {5}, 16), 1, 16));
  }

  @Test
  void everyCandidateTapConvertsIntoOneGraph() {
    ConvertedBackbone candidates =
        MobileNetV2Nsfwjs.convert(model, MobileNetV2Nsfwjs.candidateTaps());
    assertEquals(41_280, candidates.dimension());
    assertEquals(36 + 2, candidates.layout().size());
  }

  @Test
  void aTapNamingNoLayerIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MobileNetV2Nsfwjs.convert(model, List.of(Tap.global("block_99_expand_relu"))));
    assertTrue(e.getMessage().contains("has no layer block_99_expand_relu"), e.getMessage());
  }

  @Test
  void aConvolutionFoldedIntoItsBatchNormCannotBeTapped() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MobileNetV2Nsfwjs.convert(model, List.of(Tap.global("block_16_expand"))));
    assertTrue(e.getMessage().contains("folded into block_16_expand_BN"), e.getMessage());
  }

  @Test
  void poolingMustFitTheLayer() {
    assertThrows(
        IllegalArgumentException.class,
        () -> MobileNetV2Nsfwjs.convert(model, List.of(new Tap("block_16_expand_relu", Tap.NONE))));
    assertThrows(
        IllegalArgumentException.class,
        () -> MobileNetV2Nsfwjs.convert(model, List.of(Tap.global("dense_3"))));
  }

  @Test
  void tapsParseAndPrintTheSameWay() {
    List<Tap> taps = Tap.parseList("block_11_expand_relu:2x2, block_16_expand_relu:global,dense_3");
    assertEquals(
        List.of(
            Tap.grid("block_11_expand_relu", 2),
            Tap.global("block_16_expand_relu"),
            new Tap("dense_3", 0)),
        taps);
    assertEquals("block_11_expand_relu:2x2", taps.get(0).toString());
    assertThrows(IllegalArgumentException.class, () -> Tap.parse("block_11:2x3"));
  }
}
