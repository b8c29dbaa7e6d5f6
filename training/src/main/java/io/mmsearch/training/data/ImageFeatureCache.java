package io.mmsearch.training.data;

import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.encoders.image.ImagePreprocessor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Backbone features of every image and augmented view of a run, computed once and kept on disk, so
 * an epoch costs only the heads and a rerun (another seed, another head, more epochs) never runs
 * the backbone again for the same images.
 *
 * <p><b>Keys.</b> The folder is {@code <root>/<sha256 of the source's cache key>} (backbone
 * SHA-256, taps, pooling, input preprocessing; {@code key.txt} holds it in clear). Inside, each
 * entry is keyed by the SHA-256 of the image file's bytes and the view: view 0 is the image as
 * preprocessed, view {@code v > 0} is augmented with a generator seeded by the augmentation seed
 * {@code (seed, v)} and the image's hash, under the augmentation settings, which are part of the
 * entry key too. A changed file, backbone, tap, input size, augmentation setting or seed therefore
 * misses, and the same image under another name hits.
 *
 * <p><b>File.</b> {@code features.bin}, append-only records: magic, the 32-byte entry key, the
 * dimension, the features as IEEE half floats, a CRC-32 of everything before it. A record whose CRC
 * does not match, or whose dimension is wrong, is refused on load (counted in {@link
 * #refusedOnLoad()}) and its entry recomputed and appended; a record cut short by an interrupted
 * run is truncated away. Half floats keep the cache and the run's memory at 2 bytes per feature;
 * their relative error (below 0.05%) is far under what the heads can tell apart.
 *
 * <p><b>Bad input</b> is reported per item, never thrown: a missing file, a path that is not a
 * regular file (a folder, a device, a pipe: never opened, so nothing blocks), an unreadable or
 * undecodable image, and an image the source's preprocessor refuses (a side below the backbone's
 * minimum).
 *
 * <p>Not thread-safe: one run prepares its data with it from one thread (decoding inside runs in
 * parallel).
 */
public final class ImageFeatureCache {

  private static final String FILE = "features.bin";
  private static final int MAGIC = 0x6d6d6946; // "mmiF"
  private static final int BACKBONE_BATCH = 32;

  private final ImageFeatureSource source;
  private final ImagePreprocessor preprocessor;
  private final Path folder;
  private final Path file;
  private final Map<Key, short[]> entries = new HashMap<>();
  private int refusedOnLoad;
  private int computed;

  private ImageFeatureCache(ImageFeatureSource source, Path folder) throws IOException {
    this.source = Objects.requireNonNull(source, "source");
    this.preprocessor = source.preprocessor();
    this.folder = folder;
    this.file = folder.resolve(FILE);
    load();
  }

  /**
   * Opens the cache of {@code source} under {@code root}; its folder is created when the first
   * features are stored.
   *
   * @throws IOException if the cache file exists but cannot be read
   */
  public static ImageFeatureCache open(ImageFeatureSource source, Path root) throws IOException {
    return new ImageFeatureCache(source, root.resolve(sha256Hex(source.cacheKey())));
  }

  /** The features' source. */
  public ImageFeatureSource source() {
    return source;
  }

  /** The folder of this source's entries. */
  public Path folder() {
    return folder;
  }

  /** Entries held. */
  public int size() {
    return entries.size();
  }

  /** Entries this instance sent through the backbone (misses, and refused entries recomputed). */
  public int computed() {
    return computed;
  }

  /** Records refused when the file was loaded (checksum or dimension wrong). */
  public int refusedOnLoad() {
    return refusedOnLoad;
  }

  /** The views of one image, or why it has none. */
  public record Views(short[][] features, String problem) {
    /** Whether the image has features. */
    public boolean ok() {
      return features != null;
    }
  }

  /**
   * The features of {@code views} views of each image, computing and storing what the cache lacks.
   *
   * @param views 1 (the image as preprocessed) or more (view {@code v > 0} augmented)
   * @param augmenter the augmentation of views 1 and up (ignored when {@code views == 1})
   * @param augmentationKey the augmentation settings in clear (they are part of each entry key)
   * @param seed the augmentation seed of the run
   * @return one {@link Views} per image, in order
   * @throws IOException if the cache cannot be written
   */
  public List<Views> views(
      List<Path> images, int views, ImageAugmenter augmenter, String augmentationKey, long seed)
      throws IOException {
    if (views < 1) {
      throw new IllegalArgumentException("views must be at least 1, got " + views);
    }
    int n = images.size();
    byte[][] hashes = new byte[n][];
    String[] problems = new String[n];
    byte[][] bytes = new byte[n][];
    // What is missing, as (image, view) pairs
    List<int[]> todo = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try {
        bytes[i] = ImageFiles.read(images.get(i));
      } catch (ImageFiles.UnusableImageException e) {
        problems[i] = e.getMessage();
        continue;
      }
      hashes[i] = sha256(bytes[i]);
      boolean missing = false;
      for (int v = 0; v < views; v++) {
        if (!entries.containsKey(key(hashes[i], v, augmentationKey, seed))) {
          todo.add(new int[] {i, v});
          missing = true;
        }
      }
      if (!missing) {
        bytes[i] = null;
      }
    }
    if (!todo.isEmpty()) {
      compute(todo, images, bytes, hashes, problems, augmenter, augmentationKey, seed);
    }
    List<Views> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (problems[i] != null) {
        out.add(new Views(null, problems[i]));
        continue;
      }
      short[][] f = new short[views][];
      for (int v = 0; v < views; v++) {
        f[v] = entries.get(key(hashes[i], v, augmentationKey, seed));
      }
      out.add(new Views(f, null));
    }
    return out;
  }

  private void compute(
      List<int[]> todo,
      List<Path> images,
      byte[][] bytes,
      byte[][] hashes,
      String[] problems,
      ImageAugmenter augmenter,
      String augmentationKey,
      long seed)
      throws IOException {
    int length = preprocessor.tensorLength();
    int dim = source.dimension();
    Map<Integer, float[]> decoded = new HashMap<>();
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("key.txt"), source.cacheKey() + "\n");
    try (DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(
                Files.newOutputStream(
                    file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)))) {
      for (int start = 0; start < todo.size(); start += BACKBONE_BATCH) {
        List<int[]> chunk = todo.subList(start, Math.min(todo.size(), start + BACKBONE_BATCH));
        decodeAll(chunk, images, bytes, problems, decoded);
        List<int[]> ready = new ArrayList<>();
        for (int[] item : chunk) {
          if (problems[item[0]] == null) {
            ready.add(item);
          }
        }
        if (ready.isEmpty()) {
          continue;
        }
        float[] pixels = new float[ready.size() * length];
        for (int r = 0; r < ready.size(); r++) {
          int[] item = ready.get(r);
          float[] clean = decoded.get(item[0]);
          if (item[1] == 0) {
            System.arraycopy(clean, 0, pixels, r * length, length);
          } else {
            augmenter.augment(
                clean, viewRandom(hashes[item[0]], item[1], seed), pixels, r * length);
          }
        }
        float[] features;
        try {
          features = source.features(pixels, ready.size());
        } catch (RuntimeException e) {
          for (int[] item : ready) {
            problems[item[0]] = "image backbone failed: " + e.getMessage();
          }
          continue;
        }
        if (features.length != ready.size() * dim) {
          throw new IllegalStateException(
              "image backbone gave "
                  + features.length
                  + " floats for "
                  + ready.size()
                  + " images of "
                  + dim
                  + " features");
        }
        for (int r = 0; r < ready.size(); r++) {
          int[] item = ready.get(r);
          short[] half = new short[dim];
          for (int d = 0; d < dim; d++) {
            half[d] = Float.floatToFloat16(features[r * dim + d]);
          }
          Key k = key(hashes[item[0]], item[1], augmentationKey, seed);
          entries.put(k, half);
          writeRecord(out, k, half);
          computed++;
        }
        // Free decoded images whose views are all done
        int last = chunk.get(chunk.size() - 1)[0];
        decoded.keySet().removeIf(i -> i < last);
      }
    }
  }

  private void decodeAll(
      List<int[]> chunk,
      List<Path> images,
      byte[][] bytes,
      String[] problems,
      Map<Integer, float[]> decoded) {
    List<Integer> wanted = new ArrayList<>();
    for (int[] item : chunk) {
      if (problems[item[0]] == null && !decoded.containsKey(item[0]) && !wanted.contains(item[0])) {
        wanted.add(item[0]);
      }
    }
    Map<Integer, Object> results = new java.util.concurrent.ConcurrentHashMap<>();
    wanted.parallelStream()
        .forEach(
            i -> {
              try {
                results.put(i, decode(bytes[i], images.get(i)));
              } catch (ImageFiles.UnusableImageException e) {
                results.put(i, e.getMessage());
              }
            });
    for (int i : wanted) {
      Object r = results.get(i);
      if (r instanceof float[] tensor) {
        decoded.put(i, tensor);
      } else {
        problems[i] = (String) r;
      }
      bytes[i] = null; // decoded once; the bytes are not needed any more
    }
  }

  private float[] decode(byte[] bytes, Path image) throws ImageFiles.UnusableImageException {
    try {
      return preprocessor.preprocess(bytes, image.toString());
    } catch (ImageDecodingException e) {
      // names the file and the reason: undecodable, over the pixel budget, or below the
      // backbone's minimum side
      throw new ImageFiles.UnusableImageException("image unusable: " + e.getMessage());
    } catch (RuntimeException e) {
      throw new ImageFiles.UnusableImageException(
          "image not decodable: " + image + ": " + e.getMessage());
    }
  }

  /** The generator of view {@code view} of the image with hash {@code imageHash}. */
  private static SplittableRandom viewRandom(byte[] imageHash, int view, long seed) {
    long h = seed * 0x9E3779B97F4A7C15L + view * 0xC2B2AE3D27D4EB4FL;
    for (int i = 0; i < 8; i++) {
      h = (h ^ (imageHash[i] & 0xff)) * 0x100000001B3L;
    }
    return new SplittableRandom(h);
  }

  private record Key(String hex) {}

  private static Key key(byte[] imageHash, int view, String augmentationKey, long seed) {
    String clear =
        HexFormat.of().formatHex(imageHash)
            + (view == 0 ? "/clean" : "/view=" + view + "/seed=" + seed + "/" + augmentationKey);
    return new Key(view == 0 ? clear.substring(0, 64) : sha256Hex(clear));
  }

  private void writeRecord(DataOutputStream out, Key key, short[] half) throws IOException {
    ByteBuffer record = ByteBuffer.allocate(4 + 32 + 4 + 2 * half.length);
    record.putInt(MAGIC).put(HexFormat.of().parseHex(key.hex())).putInt(half.length);
    for (short s : half) {
      record.putShort(s);
    }
    CRC32 crc = new CRC32();
    crc.update(record.array());
    out.write(record.array());
    out.writeInt((int) crc.getValue());
  }

  private void load() throws IOException {
    if (!Files.isRegularFile(file)) {
      return;
    }
    long size = Files.size(file);
    long valid = 0;
    int dim = source.dimension();
    int recordLength = 4 + 32 + 4 + 2 * dim;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
      byte[] record = new byte[recordLength];
      while (valid < size) {
        in.readFully(record);
        int crc = in.readInt();
        valid += recordLength + 4;
        ByteBuffer b = ByteBuffer.wrap(record);
        CRC32 check = new CRC32();
        check.update(record);
        if (b.getInt() != MAGIC || (int) check.getValue() != crc) {
          refusedOnLoad++;
          continue;
        }
        byte[] key = new byte[32];
        b.get(key);
        if (b.getInt() != dim) {
          refusedOnLoad++;
          continue;
        }
        short[] half = new short[dim];
        b.asShortBuffer().get(half);
        entries.put(new Key(HexFormat.of().formatHex(key)), half);
      }
    } catch (EOFException e) {
      // an interrupted append: keep the complete records, drop the rest
    }
    if (valid < size) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(valid);
      }
    }
  }

  /** Row {@code v} of a half-float feature block, as floats. */
  public static void toFloats(short[] half, float[] target, int offset) {
    for (int i = 0; i < half.length; i++) {
      target[offset + i] = Float.float16ToFloat(half[i]);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
  }
}
