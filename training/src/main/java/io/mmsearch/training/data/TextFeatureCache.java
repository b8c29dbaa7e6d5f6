package io.mmsearch.training.data;

import io.mmsearch.encoders.EncodingResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link TextFeatureSource} that computes each distinct text's features once and keeps them on
 * disk, so retraining (another seed, more epochs, another image tower) never runs the backbone
 * again for the same captions.
 *
 * <p>Layout: {@code <root>/<sha256 of the source's cache key>/features.bin} (append-only records:
 * text length, UTF-8 text, {@code dimension} floats) and {@code key.txt} (the key in clear). A
 * record cut short by an interrupted run is ignored on the next open and overwritten. Texts that
 * fail are not cached: they fail again, with their reason, every time.
 *
 * <p>Not thread-safe: one training run uses it from one thread while preparing its data.
 */
public final class TextFeatureCache implements TextFeatureSource {

  private static final String FILE = "features.bin";
  private static final int MAGIC = 0x6d6d7446; // "mmtF"

  private final TextFeatureSource source;
  private final Path folder;
  private final Path file;
  private final Map<String, float[]> features = new HashMap<>();
  private long validBytes;
  private int computed;

  private TextFeatureCache(TextFeatureSource source, Path folder) throws IOException {
    this.source = Objects.requireNonNull(source, "source");
    this.folder = folder;
    this.file = folder.resolve(FILE);
    load();
  }

  /**
   * Opens the cache of {@code source} under {@code root}; its folder is created when the first
   * features are stored.
   *
   * @throws IOException if the file exists and is not a feature cache of this dimension
   */
  public static TextFeatureCache open(TextFeatureSource source, Path root) throws IOException {
    return new TextFeatureCache(source, root.resolve(sha256(source.cacheKey())));
  }

  @Override
  public String cacheKey() {
    return source.cacheKey();
  }

  @Override
  public String backboneSha256() {
    return source.backboneSha256();
  }

  @Override
  public int dimension() {
    return source.dimension();
  }

  /** The folder of this source's features. */
  public Path folder() {
    return folder;
  }

  /** How many texts the cache holds. */
  public int size() {
    return features.size();
  }

  /** How many texts this instance sent to the backbone (cache misses that succeeded). */
  public int computed() {
    return computed;
  }

  @Override
  public List<EncodingResult> featuresEach(List<String> texts) {
    Set<String> missing = new LinkedHashSet<>();
    for (String t : texts) {
      if (!features.containsKey(t)) {
        missing.add(t);
      }
    }
    Map<String, EncodingResult> failed = new HashMap<>();
    if (!missing.isEmpty()) {
      List<String> todo = new ArrayList<>(missing);
      List<EncodingResult> results = source.featuresEach(todo);
      try {
        // created on the first miss, so a run that fails before it leaves nothing behind
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("key.txt"), source.cacheKey() + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the feature cache " + folder, e);
      }
      try (DataOutputStream out =
          new DataOutputStream(
              new BufferedOutputStream(
                  Files.newOutputStream(
                      file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)))) {
        if (validBytes == 0) {
          out.writeInt(MAGIC);
          out.writeInt(dimension());
        }
        for (int i = 0; i < todo.size(); i++) {
          EncodingResult r = results.get(i);
          if (!r.ok()) {
            failed.put(todo.get(i), r);
            continue;
          }
          float[] v = r.vector();
          if (v.length != dimension()) {
            throw new IllegalStateException(
                "backbone gave " + v.length + " features, expected " + dimension());
          }
          features.put(todo.get(i), v);
          computed++;
          byte[] utf8 = todo.get(i).getBytes(StandardCharsets.UTF_8);
          out.writeInt(utf8.length);
          out.write(utf8);
          for (float f : v) {
            out.writeFloat(f);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to the feature cache " + file, e);
      }
      try {
        validBytes = Files.size(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<EncodingResult> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      float[] v = features.get(t);
      out.add(v != null ? EncodingResult.of(v.clone()) : failed.get(t));
    }
    return out;
  }

  private void load() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    long size = Files.size(file);
    long position = 0;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      if (in.readInt() != MAGIC || in.readInt() != dimension()) {
        throw new IOException(
            file + " is not a feature cache of " + dimension() + "-d features; delete it");
      }
      position = 8;
      while (position < size) {
        int length = in.readInt();
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        float[] v = new float[dimension()];
        for (int i = 0; i < v.length; i++) {
          v[i] = in.readFloat();
        }
        features.put(new String(utf8, StandardCharsets.UTF_8), v);
        position += 4 + length + 4L * v.length;
      }
    } catch (EOFException e) {
      // an interrupted append: keep the complete records, drop the rest
    }
    validBytes = position;
    if (validBytes < size) {
      try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
        channel.truncate(validBytes);
      }
    }
  }

  private static String sha256(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
