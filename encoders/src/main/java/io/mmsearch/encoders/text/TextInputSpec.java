package io.mmsearch.encoders.text;

import java.util.Objects;

/**
 * What a text encoder expects as input, as declared by a model bundle's {@code bundle.json}.
 *
 * <p>Three shapes of text pipeline, told apart by the tokenizer kind and the backbone:
 *
 * <ul>
 *   <li>{@value #WORD}: {@link WordTokenizer} over {@code vocab.txt}; {@code text.onnx} takes
 *       {@code tokens} (int64 {@code [batch, maxTokens]}, padded with the padding id) and {@code
 *       lengths} (int64 {@code [batch]}, at least 1).
 *   <li>{@value #HUGGINGFACE} with a {@link #backbone()}: {@link SubwordTokenizer} over {@code
 *       tokenizer.json} → the frozen backbone → its pooling → {@code text.onnx}, a head taking
 *       {@code features} float32 {@code [batch, F]}.
 *   <li>{@value #HUGGINGFACE} without a backbone: {@code text.onnx} itself takes the token ids, as
 *       {@link #graph()} says (a CLIP-style text tower).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param tokenizer tokenizer kind: {@value #WORD} or {@value #HUGGINGFACE}
 * @param vocabulary file name of the tokenizer's file inside the bundle: {@code vocab.txt} (one
 *     token per line, line number = id) for {@value #WORD}, a {@code tokenizer.json} for {@value
 *     #HUGGINGFACE}
 * @param maxTokens longer texts are truncated to this many tokens (for {@value #HUGGINGFACE},
 *     special tokens included)
 * @param lowercase whether text is lower-cased (Unicode-aware, {@link java.util.Locale#ROOT})
 *     before tokenizing
 * @param backbone the frozen backbone before {@code text.onnx}, or null
 * @param graph how to call {@code text.onnx} when it takes token ids itself ({@value #HUGGINGFACE}
 *     without backbone; defaults to {@link TokenGraphSpec#clipStyle()}), else null
 */
public record TextInputSpec(
    String tokenizer,
    String vocabulary,
    int maxTokens,
    boolean lowercase,
    BackboneSpec backbone,
    TokenGraphSpec graph) {

  /** Tokenizer kind of {@link WordTokenizer}. */
  public static final String WORD = "word";

  /** Tokenizer kind of {@link SubwordTokenizer} (a Hugging Face {@code tokenizer.json}). */
  public static final String HUGGINGFACE = "huggingface";

  /** The input of a head graph behind a backbone: float32 {@code [batch, F]}. */
  public static final String FEATURES = "features";

  public TextInputSpec {
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(vocabulary, "vocabulary");
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
    }
    if (WORD.equals(tokenizer) && (backbone != null || graph != null)) {
      throw new IllegalArgumentException(
          "the word tokenizer feeds text.onnx directly; it takes no backbone nor graph inputs");
    }
    if (HUGGINGFACE.equals(tokenizer)) {
      if (maxTokens < 2) {
        throw new IllegalArgumentException(
            "maxTokens must leave room for the special tokens, got " + maxTokens);
      }
      if (backbone != null && graph != null) {
        throw new IllegalArgumentException(
            "with a backbone, text.onnx is a head taking '"
                + FEATURES
                + "'; it cannot also declare token inputs");
      }
      if (backbone == null && graph == null) {
        graph = TokenGraphSpec.clipStyle();
      }
    }
  }

  /** A {@value #WORD} spec (no backbone). */
  public TextInputSpec(String tokenizer, String vocabulary, int maxTokens, boolean lowercase) {
    this(tokenizer, vocabulary, maxTokens, lowercase, null, null);
  }

  /** The default for models this project trains: word tokens, {@code vocab.txt}, 32 tokens. */
  public static TextInputSpec defaults() {
    return new TextInputSpec(WORD, "vocab.txt", 32, true);
  }

  /**
   * A {@code tokenizer.json} feeding a frozen backbone whose pooled features feed {@code
   * text.onnx}.
   */
  public static TextInputSpec withBackbone(
      String tokenizerFile, int maxTokens, boolean lowercase, BackboneSpec backbone) {
    return new TextInputSpec(
        HUGGINGFACE, tokenizerFile, maxTokens, lowercase, Objects.requireNonNull(backbone), null);
  }

  /** A {@code tokenizer.json} feeding {@code text.onnx} directly (a CLIP-style text tower). */
  public static TextInputSpec tokenGraph(
      String tokenizerFile, int maxTokens, boolean lowercase, TokenGraphSpec graph) {
    return new TextInputSpec(
        HUGGINGFACE, tokenizerFile, maxTokens, lowercase, null, Objects.requireNonNull(graph));
  }
}
