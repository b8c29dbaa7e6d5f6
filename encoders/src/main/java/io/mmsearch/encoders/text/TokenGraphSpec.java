package io.mmsearch.encoders.text;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to call an ONNX graph that takes token ids (a pretrained text backbone, or the text tower of
 * a CLIP-style export): the graph's names for the tokenizer's outputs, the output to read, and how
 * to pool it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param inputIds graph input fed the token ids (int64 or int32 {@code [batch, seq]}); required
 * @param attentionMask graph input fed the attention mask, or null if the graph takes none
 * @param tokenTypeIds graph input fed the segment ids, or null if the graph takes none
 * @param output the graph output to read
 * @param pooling how that output becomes one vector per text; its {@link Pooling#outputRank()} must
 *     be the output's rank
 */
public record TokenGraphSpec(
    String inputIds, String attentionMask, String tokenTypeIds, String output, Pooling pooling) {

  /** Role name of the token ids in {@code bundle.json}'s {@code inputs} map. */
  public static final String INPUT_IDS = "input_ids";

  /** Role name of the attention mask. */
  public static final String ATTENTION_MASK = "attention_mask";

  /** Role name of the segment ids. */
  public static final String TOKEN_TYPE_IDS = "token_type_ids";

  public TokenGraphSpec {
    requireName(inputIds, INPUT_IDS);
    requireName(output, "output");
    Objects.requireNonNull(pooling, "pooling");
    if (attentionMask != null) {
      requireName(attentionMask, ATTENTION_MASK);
    }
    if (tokenTypeIds != null) {
      requireName(tokenTypeIds, TOKEN_TYPE_IDS);
    }
  }

  private static void requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("the graph name of " + what + " is missing or blank");
    }
  }

  /**
   * A CLIP-style text graph as Hugging Face exports it: {@code input_ids} and {@code
   * attention_mask} in, {@code embedding} {@code [batch, D]} out.
   */
  public static TokenGraphSpec clipStyle() {
    return new TokenGraphSpec(INPUT_IDS, ATTENTION_MASK, null, "embedding", Pooling.NONE);
  }

  /**
   * The spec a {@code bundle.json} {@code inputs} map declares (role → graph input name; roles
   * {@value #INPUT_IDS}, {@value #ATTENTION_MASK}, {@value #TOKEN_TYPE_IDS}).
   *
   * @throws IllegalArgumentException naming an unknown role or a missing input_ids
   */
  public static TokenGraphSpec of(Map<String, String> inputs, String output, Pooling pooling) {
    for (String role : inputs.keySet()) {
      if (!role.equals(INPUT_IDS) && !role.equals(ATTENTION_MASK) && !role.equals(TOKEN_TYPE_IDS)) {
        throw new IllegalArgumentException(
            "unknown input role '"
                + role
                + "'; roles are "
                + INPUT_IDS
                + ", "
                + ATTENTION_MASK
                + ", "
                + TOKEN_TYPE_IDS);
      }
    }
    return new TokenGraphSpec(
        inputs.get(INPUT_IDS),
        inputs.get(ATTENTION_MASK),
        inputs.get(TOKEN_TYPE_IDS),
        output,
        pooling);
  }

  /**
   * The {@code inputs} map of {@code bundle.json}: role → graph input name, absent roles left out.
   */
  public Map<String, String> inputs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(INPUT_IDS, inputIds);
    if (attentionMask != null) {
      m.put(ATTENTION_MASK, attentionMask);
    }
    if (tokenTypeIds != null) {
      m.put(TOKEN_TYPE_IDS, tokenTypeIds);
    }
    return m;
  }
}
