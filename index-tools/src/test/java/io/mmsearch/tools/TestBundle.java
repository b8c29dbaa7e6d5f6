package io.mmsearch.tools;

import io.mmsearch.encoders.bundle.BundleWriter;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.onnx.Dim;
import io.mmsearch.encoders.onnx.ElementType;
import io.mmsearch.encoders.onnx.OnnxGraphBuilder;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small but real model bundle for tests: ONNX graphs written with {@link OnnxGraphBuilder} and
 * run by ONNX Runtime. The image graph is a fixed random projection of the 16x16 pixels, so equal
 * images give equal vectors and different colours give different ones; the text graph sums word
 * embeddings. Untrained: search quality is not the point, the plumbing is.
 */
final class TestBundle {
  static final int DIMENSION = 16;
  static final int IMAGE_SIZE = 16;
  static final List<String> WORDS =
      List.of("red", "green", "blue", "square", "circle", "apple", "sky", "leaf", "face", "cat");

  private TestBundle() {}

  /** Writes the bundle into {@code dir} and returns it opened. */
  static ModelBundle write(Path dir, long seed) throws IOException {
    Random random = new Random(seed);
    ImageInputSpec imageSpec =
        new ImageInputSpec(
            IMAGE_SIZE,
            3,
            new float[] {0.5f, 0.5f, 0.5f},
            new float[] {0.25f, 0.25f, 0.25f},
            ImageInputSpec.ResizePolicy.RESIZE_SHORTER_CENTER_CROP,
            0xFFFFFF);
    TextInputSpec textSpec = TextInputSpec.defaults();
    List<String> tokens = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK));
    tokens.addAll(WORDS);
    Vocabulary vocabulary = Vocabulary.of(tokens);
    return BundleWriter.builder()
        .name("index-tools-test")
        .dimension(DIMENSION)
        .imageSpec(imageSpec)
        .textSpec(textSpec)
        .imageModel(imageGraph(random))
        .textModel(textGraph(random, vocabulary.size(), textSpec.maxTokens()))
        .vocabulary(vocabulary)
        .build()
        .write(dir);
  }

  private static byte[] imageGraph(Random random) {
    int features = 3 * IMAGE_SIZE * IMAGE_SIZE;
    OnnxGraphBuilder g = new OnnxGraphBuilder("test-image");
    String pixels =
        g.input(
            "pixels",
            ElementType.FLOAT,
            Dim.batch(),
            Dim.of(3),
            Dim.of(IMAGE_SIZE),
            Dim.of(IMAGE_SIZE));
    String flat = g.reshape(pixels, 0, -1);
    String w = g.initializer("w", gaussian(random, features * DIMENSION), features, DIMENSION);
    String b = g.initializer("b", new float[DIMENSION], DIMENSION);
    String projected = g.gemm(flat, w, b, false);
    g.output(
        "embedding",
        g.l2Normalize(projected, 1),
        ElementType.FLOAT,
        Dim.batch(),
        Dim.of(DIMENSION));
    return g.build().toByteArray();
  }

  private static byte[] textGraph(Random random, int vocabularySize, int maxTokens) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("test-text");
    String tokens = g.input("tokens", ElementType.INT64, Dim.batch(), Dim.of(maxTokens));
    g.input("lengths", ElementType.INT64, Dim.batch());
    float[] table = gaussian(random, vocabularySize * DIMENSION);
    for (int i = 0; i < DIMENSION; i++) {
      table[i] = 0f; // <pad> contributes nothing, so padding needs no mask
    }
    String embeddings = g.initializer("embeddings", table, vocabularySize, DIMENSION);
    String summed = g.reduceSum(g.gather(embeddings, tokens, 0), false, 1);
    g.output(
        "embedding", g.l2Normalize(summed, 1), ElementType.FLOAT, Dim.batch(), Dim.of(DIMENSION));
    return g.build().toByteArray();
  }

  private static float[] gaussian(Random random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
