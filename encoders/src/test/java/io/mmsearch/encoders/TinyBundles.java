package io.mmsearch.encoders;

import io.mmsearch.encoders.bundle.BundleWriter;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.bundle.Provenance;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small but real model bundles for tests: random weights, real ONNX graphs that ONNX Runtime runs.
 *
 * <ul>
 *   <li>image: {@code pixels [batch,3,S,S]} → GlobalAveragePool → Flatten → Gemm → L2 → {@code
 *       embedding [batch,D]}
 *   <li>text: {@code tokens [batch,T]} → Gather (embedding table) → mean over the first {@code
 *       lengths} steps → Gemm → L2 → {@code embedding [batch,D]}
 * </ul>
 *
 * <p>The weights are random, so the vectors carry no meaning, but they are deterministic per seed:
 * the same image or text always gives the same vector, and different colours give different ones.
 * Other modules' tests use this class through the encoders test-jar.
 */
public final class TinyBundles {
  public static final int IMAGE_SIZE = 16;
  public static final int MAX_TOKENS = 6;
  public static final int EMBEDDING = 8;
  public static final List<String> WORDS =
      List.of("red", "green", "blue", "heart", "apple", "car", "face", "smiling");

  private TinyBundles() {}

  public static ImageInputSpec imageSpec() {
    return new ImageInputSpec(
        IMAGE_SIZE,
        3,
        new float[] {0.5f, 0.5f, 0.5f},
        new float[] {0.25f, 0.25f, 0.25f},
        ImageInputSpec.ResizePolicy.RESIZE_SHORTER_CENTER_CROP,
        0xFFFFFF);
  }

  public static TextInputSpec textSpec() {
    return new TextInputSpec(TextInputSpec.WORD, "vocab.txt", MAX_TOKENS, true);
  }

  /** {@link Vocabulary#PAD}, {@link Vocabulary#UNK}, then {@link #WORDS}. */
  public static Vocabulary vocabulary() {
    return vocabulary(WORDS);
  }

  /** {@link Vocabulary#PAD}, {@link Vocabulary#UNK}, then {@code words} without repeats. */
  public static Vocabulary vocabulary(List<String> words) {
    List<String> tokens = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK));
    words.stream().filter(w -> !tokens.contains(w)).forEach(tokens::add);
    return Vocabulary.of(tokens);
  }

  /** The image graph; {@code graphDimension} rows of output, fixed or symbolic in its signature. */
  public static byte[] imageGraph(int graphDimension, boolean symbolicOutput, long seed) {
    Random random = new Random(seed);
    OnnxGraphBuilder g = new OnnxGraphBuilder("tiny_image");
    String x =
        g.input(
            "pixels",
            ElementType.FLOAT,
            Dim.batch(),
            Dim.of(3),
            Dim.of(IMAGE_SIZE),
            Dim.of(IMAGE_SIZE));
    String w = g.initializer("proj_w", gaussian(random, graphDimension * 3), graphDimension, 3);
    String b = g.initializer("proj_b", gaussian(random, graphDimension), graphDimension);
    String pooled = g.flatten(g.globalAveragePool(x), 1);
    String y = g.l2Normalize(g.gemm(pooled, w, b, true), 1);
    g.output(
        "embedding",
        y,
        ElementType.FLOAT,
        Dim.batch(),
        symbolicOutput ? Dim.symbolic("dim") : Dim.of(graphDimension));
    return g.build().toByteArray();
  }

  /** The text graph over a vocabulary of {@code vocabularySize} tokens. */
  public static byte[] textGraph(
      int vocabularySize, int graphDimension, boolean symbolicOutput, long seed) {
    Random random = new Random(seed);
    int e = 5;
    OnnxGraphBuilder g = new OnnxGraphBuilder("tiny_text");
    String tokens = g.input("tokens", ElementType.INT64, Dim.batch(), Dim.of(MAX_TOKENS));
    String lengths = g.input("lengths", ElementType.INT64, Dim.batch());
    String table = g.initializer("embed", gaussian(random, vocabularySize * e), vocabularySize, e);
    String w = g.initializer("proj_w", gaussian(random, graphDimension * e), graphDimension, e);
    String b = g.initializer("proj_b", gaussian(random, graphDimension), graphDimension);
    String embedded = g.gather(table, tokens, 0); // [N, T, E]
    // maskedMeanOverTime takes the LSTM layout [T, directions, N, H]
    String timeMajor = g.unsqueeze(g.transpose(embedded, 1, 0, 2), 1);
    String mean = g.maskedMeanOverTime(timeMajor, lengths); // [N, E]
    String y = g.l2Normalize(g.gemm(mean, w, b, true), 1);
    g.output(
        "embedding",
        y,
        ElementType.FLOAT,
        Dim.batch(),
        symbolicOutput ? Dim.symbolic("dim") : Dim.of(graphDimension));
    return g.build().toByteArray();
  }

  /** A writer for a consistent tiny bundle; tests swap parts to make it inconsistent. */
  public static BundleWriter.Builder writer(long seed) {
    return writer(seed, WORDS);
  }

  /**
   * A writer for a consistent tiny bundle whose vocabulary is {@code words}, for tests whose
   * captions and queries need words of their own to be known (not {@code <unk>}).
   */
  public static BundleWriter.Builder writer(long seed, List<String> words) {
    Vocabulary vocabulary = vocabulary(words);
    return BundleWriter.builder()
        .name("tiny-" + seed)
        .dimension(EMBEDDING)
        .imageSpec(imageSpec())
        .textSpec(textSpec())
        .imageModel(imageGraph(EMBEDDING, false, seed))
        .textModel(textGraph(vocabulary.size(), EMBEDDING, false, seed + 1))
        .vocabulary(vocabulary)
        .provenance(
            new Provenance(
                "tiny random weights", 0, seed, Map.of("recall@1", 0.0), "2026-11-25T00:00:00Z"));
  }

  /** Writes a consistent tiny bundle into {@code dir}. */
  public static ModelBundle write(Path dir, long seed) throws IOException {
    return writer(seed).build().write(dir);
  }

  /** Writes a consistent tiny bundle with vocabulary {@code words} into {@code dir}. */
  public static ModelBundle write(Path dir, long seed, List<String> words) throws IOException {
    return writer(seed, words).build().write(dir);
  }

  private static float[] gaussian(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
