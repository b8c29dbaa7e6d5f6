package io.mmsearch.encoders.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.error.UnencodableInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer (WordPiece for BERT-family models, byte-level BPE
 * for CLIP, Unigram for SentencePiece models such as SigLIP), run by the Rust {@code tokenizers}
 * library through DJL. Normaliser, pre-tokenizer, model and post-processor (the {@code [CLS]} /
 * {@code <|startoftext|>} special tokens) all come from the file, so ids are exactly those the
 * model was trained with.
 *
 * <p>Texts are optionally lower-cased ({@link Locale#ROOT}) first, then truncated to {@code
 * maxTokens} ids, special tokens included; no padding is added here ({@link #pad} does it per
 * batch). Training and serving use this same class.
 *
 * <p>The native library is the CPU one inside the DJL jar: this class sets {@code RUST_FLAVOR=cpu}
 * and {@code OPT_OUT_TRACKING=true} as system properties (unless the environment or the caller set
 * them) before DJL loads, so it never downloads a library nor calls DJL's telemetry endpoint.
 *
 * <p>Thread-safe: the Rust tokenizer is immutable once built. The caller owns the instance and
 * closes it; {@link #close} must not race a tokenize call.
 */
public final class SubwordTokenizer implements AutoCloseable {
  /** The {@code model.type} values of {@code tokenizer.json} this class accepts. */
  public static final Set<String> MODEL_TYPES = Set.of("WordPiece", "BPE", "Unigram", "WordLevel");

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    setIfAbsent("RUST_FLAVOR", "cpu");
    setIfAbsent("OPT_OUT_TRACKING", "true");
  }

  private final HuggingFaceTokenizer tokenizer;
  private final String source;
  private final String modelType;
  private final int maxTokens;
  private final boolean lowercase;
  private final long padId;

  private SubwordTokenizer(
      HuggingFaceTokenizer tokenizer,
      String source,
      String modelType,
      int maxTokens,
      boolean lowercase,
      long padId) {
    this.tokenizer = tokenizer;
    this.source = source;
    this.modelType = modelType;
    this.maxTokens = maxTokens;
    this.lowercase = lowercase;
    this.padId = padId;
  }

  private static void setIfAbsent(String name, String value) {
    if (System.getenv(name) == null && System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  /**
   * Loads a {@code tokenizer.json} file.
   *
   * @param maxTokens longest id sequence, special tokens included; longer texts are truncated
   * @param lowercase whether to lower-case texts ({@link Locale#ROOT}) before the tokenizer's own
   *     normaliser
   * @throws IOException naming the file if it cannot be read, is not a tokenizer.json, or declares
   *     a model type other than {@link #MODEL_TYPES}
   */
  public static SubwordTokenizer load(Path tokenizerJson, int maxTokens, boolean lowercase)
      throws IOException {
    return read(Files.readAllBytes(tokenizerJson), tokenizerJson.toString(), maxTokens, lowercase);
  }

  /**
   * Reads a {@code tokenizer.json} held in memory.
   *
   * @param source what to call it in error messages (a file name or resource)
   * @throws IOException as {@link #load}
   */
  public static SubwordTokenizer read(byte[] json, String source, int maxTokens, boolean lowercase)
      throws IOException {
    Objects.requireNonNull(json, "json");
    if (maxTokens < 2) {
      throw new IllegalArgumentException("maxTokens must be at least 2, got " + maxTokens);
    }
    JsonNode root = checkFile(json, source);
    String type = root.path("model").path("type").asText();
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(json),
              Map.of(
                  "addSpecialTokens", "true",
                  "truncation", "true",
                  "padding", "false",
                  "maxLength", Integer.toString(maxTokens),
                  "modelMaxLength", Integer.toString(maxTokens)));
    } catch (RuntimeException e) {
      throw new IOException(
          source + " cannot be loaded by the Hugging Face tokenizers library: " + e.getMessage(),
          e);
    }
    return new SubwordTokenizer(tokenizer, source, type, maxTokens, lowercase, padId(root));
  }

  /**
   * Checks that {@code json} is a tokenizer.json of a supported model type, without loading the
   * native tokenizer.
   *
   * @return the parsed file
   * @throws IOException naming {@code source} and the reason
   */
  public static JsonNode checkFile(byte[] json, String source) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new IOException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("model").isObject()) {
      throw new IOException(
          source + " is not a Hugging Face tokenizer.json (no \"model\" object at the top level)");
    }
    String type = root.path("model").path("type").asText("");
    if (!MODEL_TYPES.contains(type)) {
      throw new IOException(
          source
              + " declares tokenizer model type '"
              + type
              + "', which is not supported; supported: "
              + new TreeSet<>(MODEL_TYPES));
    }
    return root;
  }

  /** The padding id the file declares ({@code padding.pad_id}, or a pad token), else 0. */
  private static long padId(JsonNode root) {
    JsonNode padding = root.path("padding");
    if (padding.has("pad_id")) {
      return padding.get("pad_id").asLong();
    }
    for (JsonNode t : root.path("added_tokens")) {
      String content = t.path("content").asText();
      if (content.equals("[PAD]") || content.equals("<pad>") || content.equals("<|pad|>")) {
        return t.path("id").asLong();
      }
    }
    return 0;
  }

  /** Where the tokenizer was read from. */
  public String source() {
    return source;
  }

  /** The tokenizer.json {@code model.type}: one of {@link #MODEL_TYPES}. */
  public String modelType() {
    return modelType;
  }

  /** Longest id sequence, special tokens included. */
  public int maxTokens() {
    return maxTokens;
  }

  public boolean lowercase() {
    return lowercase;
  }

  /** The id {@link #pad} fills rows with. */
  public long padId() {
    return padId;
  }

  /**
   * Tokenizes one text: its ids, special tokens included, truncated to {@link #maxTokens()}.
   *
   * @throws UnencodableInputException if the text is null or yields no token besides the special
   *     ones (empty, blank, only control characters...); the message quotes the start of the text
   */
  public SubwordIds tokenize(String text) {
    if (text == null) {
      throw new UnencodableInputException("text is null");
    }
    String input = lowercase ? text.toLowerCase(Locale.ROOT) : text;
    Encoding e = tokenizer.encode(input);
    long[] ids = e.getIds();
    long[] special = e.getSpecialTokenMask();
    boolean content = false;
    for (long s : special) {
      content |= s == 0;
    }
    if (!content) {
      throw new UnencodableInputException(
          "text "
              + WordTokenizer.excerpt(text)
              + " has no tokens besides the special ones after "
              + source
              + " normalises it (it is empty, blank, or only characters the tokenizer drops)");
    }
    return new SubwordIds(ids, e.getTypeIds());
  }

  /**
   * Tokenizes and pads many texts, all or nothing.
   *
   * @throws UnencodableInputException naming the index and the start of the first text that fails
   */
  public SubwordBatch tokenizeBatch(List<String> texts) {
    List<SubwordIds> rows = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      try {
        rows.add(tokenize(texts.get(i)));
      } catch (UnencodableInputException e) {
        throw new UnencodableInputException("text #" + i + ": " + e.getMessage(), e);
      }
    }
    return pad(rows, 0);
  }

  /**
   * Lays {@code rows} out as one right-padded batch.
   *
   * @param seq row length; 0 for the longest row's length
   * @throws IllegalArgumentException if a row is longer than a positive {@code seq}
   */
  public SubwordBatch pad(List<SubwordIds> rows, int seq) {
    return SubwordBatch.pad(rows, seq, padId);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "SubwordTokenizer["
        + source
        + ", "
        + modelType
        + ", maxTokens="
        + maxTokens
        + ", lowercase="
        + lowercase
        + "]";
  }
}
