package io.mmsearch.encoders.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The token ↔ id table of a word-level text encoder, stored as {@code vocab.txt}: UTF-8, one token
 * per line, the line index (from 0) is the id. Id {@value #PAD_ID} is always {@value #PAD} and id
 * {@value #UNK_ID} is always {@value #UNK}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Vocabulary {
  /** Padding token, id {@value #PAD_ID}. */
  public static final String PAD = "<pad>";

  /** Unknown-word token, id {@value #UNK_ID}. */
  public static final String UNK = "<unk>";

  public static final int PAD_ID = 0;
  public static final int UNK_ID = 1;

  private final List<String> tokens;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> tokens) {
    this.tokens = List.copyOf(tokens);
    this.ids = new HashMap<>(tokens.size() * 2);
    for (int i = 0; i < tokens.size(); i++) {
      ids.put(tokens.get(i), i);
    }
  }

  /**
   * Creates a vocabulary from its tokens in id order.
   *
   * @param tokens {@value #PAD}, {@value #UNK}, then the words; no duplicates, no empty tokens, no
   *     line breaks
   * @throws IllegalArgumentException naming the first offending token and its id
   */
  public static Vocabulary of(List<String> tokens) {
    Objects.requireNonNull(tokens, "tokens");
    if (tokens.size() < 2 || !PAD.equals(tokens.get(PAD_ID)) || !UNK.equals(tokens.get(UNK_ID))) {
      throw new IllegalArgumentException(
          "a vocabulary starts with "
              + PAD
              + " (id 0) and "
              + UNK
              + " (id 1), got "
              + tokens.subList(0, Math.min(2, tokens.size())));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t == null || t.isEmpty() || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
        throw new IllegalArgumentException(
            "vocabulary token with id " + i + " is empty or contains a line break");
      }
      Integer previous = seen.putIfAbsent(t, i);
      if (previous != null) {
        throw new IllegalArgumentException(
            "vocabulary token '" + t + "' appears twice, with ids " + previous + " and " + i);
      }
    }
    return new Vocabulary(tokens);
  }

  /**
   * Reads a {@code vocab.txt}.
   *
   * @throws IOException if the file cannot be read, is not UTF-8, or is not a valid vocabulary; the
   *     message names the file and the reason
   */
  public static Vocabulary load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads a vocabulary in {@code vocab.txt} form from a stream, which the caller closes.
   *
   * @param source what to call the stream in error messages
   */
  public static Vocabulary read(InputStream in, String source) throws IOException {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<String> tokens = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, decoder))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        tokens.add(line);
      }
    } catch (CharacterCodingException e) {
      throw new IOException(source + ": not valid UTF-8 after line " + tokens.size(), e);
    }
    try {
      return of(tokens);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }

  /** Writes this vocabulary as {@code vocab.txt} (UTF-8, {@code \n} after every token). */
  public void save(Path file) throws IOException {
    Files.write(file, toBytes());
  }

  /** The exact bytes {@link #save} writes. */
  public byte[] toBytes() {
    StringBuilder sb = new StringBuilder();
    for (String t : tokens) {
      sb.append(t).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Number of tokens, including {@value #PAD} and {@value #UNK}. */
  public int size() {
    return tokens.size();
  }

  /** The id of {@code token}, or {@value #UNK_ID} if it is not in the vocabulary. */
  public int idOf(String token) {
    Integer id = ids.get(token);
    return id == null ? UNK_ID : id;
  }

  /** Whether {@code token} has its own id. */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /**
   * The token with id {@code id}.
   *
   * @throws IndexOutOfBoundsException if {@code id} is not in {@code [0, size())}
   */
  public String token(int id) {
    return tokens.get(id);
  }

  /** All tokens in id order (unmodifiable). */
  public List<String> tokens() {
    return tokens;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v && tokens.equals(v.tokens);
  }

  @Override
  public int hashCode() {
    return tokens.hashCode();
  }

  @Override
  public String toString() {
    return "Vocabulary[" + tokens.size() + " tokens]";
  }
}
