package io.mmsearch.encoders.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small but real byte-level BPE {@code tokenizer.json} in the layout Hugging Face exports for
 * CLIP and GPT-2 models: the 256 byte symbols (GPT-2's byte-to-unicode alphabet), a few merges,
 * {@code <|startoftext|>} / {@code <|endoftext|>} added by a template post-processor. Tests write
 * it to prove the BPE path and to build CLIP-shaped bundles; other modules use it through the
 * encoders test-jar.
 */
public final class ByteLevelBpe {
  /** Merges in priority order; each adds the concatenation to the vocabulary. */
  private static final List<String[]> MERGES =
      List.of(
          new String[] {"a", "b"},
          new String[] {"r", "e"},
          new String[] {"re", "d"},
          new String[] {"Ġ", "red"},
          new String[] {"h", "e"},
          new String[] {"he", "a"},
          new String[] {"hea", "r"},
          new String[] {"hear", "t"},
          new String[] {"Ġ", "heart"},
          new String[] {"c", "a"},
          new String[] {"ca", "t"},
          new String[] {"Ġ", "cat"});

  private static final Map<String, Integer> VOCAB = vocabulary();

  /** Id of {@code <|startoftext|>}. */
  public static final long BOS = VOCAB.size();

  /** Id of {@code <|endoftext|>}, also the padding id (as in CLIP). */
  public static final long EOS = VOCAB.size() + 1;

  /** Number of ids: byte symbols, merges and the two special tokens. */
  public static final int VOCABULARY_SIZE = VOCAB.size() + 2;

  private ByteLevelBpe() {}

  /** The id of a vocabulary token (byte-level symbols, e.g. {@code Ġred} for " red"). */
  public static long id(String token) {
    Integer id = VOCAB.get(token);
    if (id == null) {
      throw new IllegalArgumentException("not in the vocabulary: " + token);
    }
    return id;
  }

  /** GPT-2's reversible byte → printable character map. */
  private static char[] byteAlphabet() {
    char[] map = new char[256];
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      printable[b] = true;
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      printable[b] = true;
    }
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      map[b] = printable[b] ? (char) b : (char) (256 + extra++);
    }
    return map;
  }

  private static Map<String, Integer> vocabulary() {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (char c : byteAlphabet()) {
      vocab.put(String.valueOf(c), vocab.size());
    }
    for (String[] m : MERGES) {
      vocab.put(m[0] + m[1], vocab.size());
    }
    return vocab;
  }

  /** The tokenizer.json text. */
  public static String tokenizerJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    added.add(special(f, BOS, "<|startoftext|>"));
    added.add(special(f, EOS, "<|endoftext|>"));
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "ByteLevel");
    pre.put("add_prefix_space", false);
    pre.put("trim_offsets", true);
    pre.put("use_regex", true);
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.add(piece(f, "SpecialToken", "<|startoftext|>"));
    single.add(piece(f, "Sequence", "A"));
    single.add(piece(f, "SpecialToken", "<|endoftext|>"));
    ArrayNode pair = post.putArray("pair");
    pair.add(piece(f, "SpecialToken", "<|startoftext|>"));
    pair.add(piece(f, "Sequence", "A"));
    pair.add(piece(f, "Sequence", "B"));
    pair.add(piece(f, "SpecialToken", "<|endoftext|>"));
    ObjectNode specials = post.putObject("special_tokens");
    specials.set("<|startoftext|>", specialEntry(f, "<|startoftext|>", BOS));
    specials.set("<|endoftext|>", specialEntry(f, "<|endoftext|>", EOS));
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "ByteLevel");
    decoder.put("add_prefix_space", false);
    decoder.put("trim_offsets", true);
    decoder.put("use_regex", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    VOCAB.forEach(vocab::put);
    List<String> merges = new ArrayList<>();
    for (String[] m : MERGES) {
      merges.add(m[0] + " " + m[1]);
    }
    ArrayNode mergeArray = model.putArray("merges");
    merges.forEach(mergeArray::add);
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode special(JsonNodeFactory f, long id, String content) {
    ObjectNode t = f.objectNode();
    t.put("id", id);
    t.put("content", content);
    t.put("single_word", false);
    t.put("lstrip", false);
    t.put("rstrip", false);
    t.put("normalized", false);
    t.put("special", true);
    return t;
  }

  private static ObjectNode piece(JsonNodeFactory f, String kind, String id) {
    ObjectNode outer = f.objectNode();
    ObjectNode inner = outer.putObject(kind);
    inner.put("id", id);
    inner.put("type_id", 0);
    return outer;
  }

  private static ObjectNode specialEntry(JsonNodeFactory f, String token, long id) {
    ObjectNode e = f.objectNode();
    e.put("id", token);
    e.putArray("ids").add(id);
    e.putArray("tokens").add(token);
    return e;
  }
}
