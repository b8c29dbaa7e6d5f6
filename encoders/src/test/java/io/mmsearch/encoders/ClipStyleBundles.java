package io.mmsearch.encoders;

import io.mmsearch.encoders.bundle.BundleWriter;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.bundle.Provenance;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.text.ByteLevelBpe;
import io.mmsearch.encoders.text.Pooling;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.TokenGraphSpec;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.OnnxGraphBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A bring-your-own-CLIP bundle in miniature: the shapes and names a Hugging Face CLIP export has
 * (random weights, since no pretrained CLIP is reachable here), described by bundle.json alone.
 *
 * <ul>
 *   <li>{@code image.onnx}: {@code pixel_values} float32 {@code [batch,3,224,224]} (CLIP's
 *       mean/std, shorter side resized and centre-cropped) → GlobalAveragePool → Gemm → {@code
 *       image_embeds} {@code [batch,D]}, not normalised (as CLIP's projection outputs are);
 *   <li>{@code text.onnx}: {@code input_ids}, {@code attention_mask} int64 {@code [batch,seq]} →
 *       token embeddings masked → {@code last_hidden_state} {@code [batch,seq,D]} and, pooled at
 *       the end-of-text token inside the graph, {@code text_embeds} {@code [batch,D]};
 *   <li>{@code tokenizer.json}: the byte-level BPE of {@link ByteLevelBpe}, 77 tokens.
 * </ul>
 *
 * <p>Other modules' tests use it through the encoders test-jar.
 */
public final class ClipStyleBundles {
  public static final int IMAGE_SIZE = 224;
  public static final int MAX_TOKENS = 77;
  public static final int EMBEDDING = 12;
  private static final int WIDTH = 10;

  private ClipStyleBundles() {}

  /** CLIP's preprocessing: 224 px, its mean/std, resize the shorter side and centre-crop. */
  public static ImageInputSpec imageSpec() {
    return new ImageInputSpec(
        IMAGE_SIZE,
        3,
        new float[] {0.48145466f, 0.4578275f, 0.40821073f},
        new float[] {0.26862954f, 0.26130258f, 0.27577711f},
        ImageInputSpec.ResizePolicy.RESIZE_SHORTER_CENTER_CROP,
        0xFFFFFF);
  }

  /**
   * Writes the bundle.
   *
   * @param readHiddenStates read {@code last_hidden_state} with pooling {@code eos} instead of the
   *     graph's own {@code text_embeds} (pooling {@code none})
   */
  public static ModelBundle write(Path dir, long seed, boolean readHiddenStates)
      throws IOException {
    TokenGraphSpec text =
        readHiddenStates
            ? new TokenGraphSpec(
                "input_ids", "attention_mask", null, "last_hidden_state", Pooling.EOS)
            : new TokenGraphSpec("input_ids", "attention_mask", null, "text_embeds", Pooling.NONE);
    return BundleWriter.builder()
        .name("clip-style-" + seed)
        .dimension(EMBEDDING)
        .imageSpec(imageSpec())
        .imageGraphNames("pixel_values", "image_embeds")
        .imageModel(imageGraph(seed))
        .textSpec(TextInputSpec.tokenGraph("tokenizer.json", MAX_TOKENS, true, text))
        .tokenizerJson(ByteLevelBpe.tokenizerJson().getBytes(StandardCharsets.UTF_8))
        .textModel(textGraph(seed + 1))
        .provenance(
            new Provenance("random CLIP-shaped weights", 0, seed, Map.of(), "2026-11-30T00:00:00Z"))
        .build()
        .write(dir);
  }

  static byte[] imageGraph(long seed) {
    Random random = new Random(seed);
    OnnxGraphBuilder g = new OnnxGraphBuilder("clip_style_vision");
    String x =
        g.input(
            "pixel_values",
            ElementType.FLOAT,
            Dim.batch(),
            Dim.of(3),
            Dim.of(IMAGE_SIZE),
            Dim.of(IMAGE_SIZE));
    String w = g.initializer("visual_projection", gaussian(random, EMBEDDING * 3), EMBEDDING, 3);
    String b = g.initializer("visual_bias", gaussian(random, EMBEDDING), EMBEDDING);
    String embeds = g.gemm(g.flatten(g.globalAveragePool(x), 1), w, b, true);
    g.output("image_embeds", embeds, ElementType.FLOAT, Dim.batch(), Dim.of(EMBEDDING));
    return g.build().toByteArray();
  }

  static byte[] textGraph(long seed) {
    Random random = new Random(seed);
    OnnxGraphBuilder g = new OnnxGraphBuilder("clip_style_text");
    String ids = g.input("input_ids", ElementType.INT64, Dim.batch(), Dim.symbolic("sequence"));
    String mask =
        g.input("attention_mask", ElementType.INT64, Dim.batch(), Dim.symbolic("sequence"));
    int v = ByteLevelBpe.VOCABULARY_SIZE;
    String table = g.initializer("token_embedding", gaussian(random, v * WIDTH), v, WIDTH);
    String proj =
        g.initializer("text_projection", gaussian(random, WIDTH * EMBEDDING), WIDTH, EMBEDDING);
    String hidden = g.matMul(g.gather(table, ids, 0), proj); // [batch, seq, D]
    String masked = g.mul(hidden, g.unsqueeze(g.cast(mask, ElementType.FLOAT), 2));
    // text_embeds: the hidden state at the last attended position (the end-of-text token), found
    // as a one-hot over positions: mask[t] - mask[t+1] (mask padded with a trailing 0).
    String maskF = g.cast(mask, ElementType.FLOAT);
    String shifted =
        g.slice(
            g.concat(
                1,
                maskF,
                g.mul(
                    g.slice(maskF, new long[] {0}, new long[] {1}, new long[] {1}),
                    g.scalarFloat(0f))),
            new long[] {1},
            new long[] {Long.MAX_VALUE},
            new long[] {1});
    String last = g.sub(maskF, shifted); // [batch, seq], 1 at the last attended position
    String embeds = g.reduceSum(g.mul(hidden, g.unsqueeze(last, 2)), false, 1);
    g.output(
        "last_hidden_state",
        masked,
        ElementType.FLOAT,
        Dim.batch(),
        Dim.symbolic("sequence"),
        Dim.of(EMBEDDING));
    g.output("text_embeds", embeds, ElementType.FLOAT, Dim.batch(), Dim.of(EMBEDDING));
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
