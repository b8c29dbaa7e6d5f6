package io.mmsearch.tools.eval;

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
 * Writes a real, tiny model bundle for tests: a seeded random linear image tower (16x16 pixels
 * flattened, one Gemm) and a mean-of-word-embeddings text tower, both L2-normalised, exported as
 * ONNX and run by ONNX Runtime like any bundle. Its vectors mean nothing semantically, but they are
 * deterministic: the same image always gives the same vector.
 */
final class TinyBundle {
  static final int DIMENSION = 8;
  private static final int SIZE = 16;

  private TinyBundle() {}

  static ModelBundle write(Path directory, List<String> words, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> tokens = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK));
    words.stream().distinct().forEach(tokens::add);
    Vocabulary vocabulary = Vocabulary.of(tokens);
    TextInputSpec textSpec = new TextInputSpec(TextInputSpec.WORD, "vocab.txt", 8, true);
    ImageInputSpec imageSpec =
        new ImageInputSpec(
            SIZE,
            3,
            new float[] {0.5f, 0.5f, 0.5f},
            new float[] {0.25f, 0.25f, 0.25f},
            ImageInputSpec.ResizePolicy.STRETCH,
            0xFFFFFF);
    return BundleWriter.builder()
        .name("tiny-test-" + seed)
        .dimension(DIMENSION)
        .imageSpec(imageSpec)
        .textSpec(textSpec)
        .imageModel(imageGraph(random))
        .textModel(textGraph(random, vocabulary.size(), textSpec.maxTokens()))
        .vocabulary(vocabulary)
        .build()
        .write(directory);
  }

  private static byte[] imageGraph(Random random) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("tiny_image");
    String pixels =
        g.input("pixels", ElementType.FLOAT, Dim.batch(), Dim.of(3), Dim.of(SIZE), Dim.of(SIZE));
    int inputs = 3 * SIZE * SIZE;
    String weight = g.initializer("w", gaussian(random, inputs * DIMENSION), inputs, DIMENSION);
    String bias = g.initializer("b", new float[DIMENSION], DIMENSION);
    String projected = g.gemm(g.flatten(pixels, 1), weight, bias, false);
    g.output(
        "embedding",
        g.l2Normalize(projected, 1),
        ElementType.FLOAT,
        Dim.batch(),
        Dim.of(DIMENSION));
    return g.build().toByteArray();
  }

  private static byte[] textGraph(Random random, int vocabularySize, int maxTokens) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("tiny_text");
    String tokens = g.input("tokens", ElementType.INT64, Dim.batch(), Dim.of(maxTokens));
    String lengths = g.input("lengths", ElementType.INT64, Dim.batch());
    String table =
        g.initializer(
            "embeddings", gaussian(random, vocabularySize * DIMENSION), vocabularySize, DIMENSION);
    String embedded = g.gather(table, tokens, 0); // [N, T, D]
    // maskedMeanOverTime reads an LSTM's [T, directions, N, D] layout.
    String timeMajor = g.unsqueeze(g.transpose(embedded, 1, 0, 2), 1);
    String mean = g.maskedMeanOverTime(timeMajor, lengths);
    g.output(
        "embedding", g.l2Normalize(mean, 1), ElementType.FLOAT, Dim.batch(), Dim.of(DIMENSION));
    return g.build().toByteArray();
  }

  private static float[] gaussian(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
