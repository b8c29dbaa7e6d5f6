package io.mmsearch.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Generated benchmark vectors kept on disk between runs, so that a rerun skips the generation (for
 * {@code real-image}: the augmentation and the encoding of up to a million images). One file per
 * key and size, {@code <key>-<rows>x<dim>.f32}: raw little-endian float32 rows. The key names the
 * data set, the part (docs or queries), the seed, the generator version and, where a model made the
 * vectors, its fingerprint. Row {@code i} of every generator depends only on the seed and {@code
 * i}, so a file with more rows serves any smaller request by its prefix, and a larger request
 * extends the largest smaller file instead of generating everything again.
 *
 * <p>Writes go to a temporary file that is renamed into place, so an interrupted run leaves no
 * partial file behind. Not safe for two processes generating the same key at once (the later rename
 * wins, with identical content).
 */
final class VectorCache {
  /** Generates rows {@code from} (inclusive) to {@code to} (exclusive), row-major. */
  interface Generator {
    float[] generate(int from, int to) throws IOException;
  }

  private final Path folder;

  VectorCache(Path folder) {
    this.folder = folder;
  }

  Path folder() {
    return folder;
  }

  /**
   * The first {@code rows} rows for {@code key}: read from the smallest cached file with at least
   * that many rows; else the largest smaller file is extended with generated rows (or all rows are
   * generated) and written.
   */
  float[] rows(String key, int rows, int dim, Generator generator) throws IOException {
    Optional<Path> cached = find(key, rows, dim);
    if (cached.isPresent()) {
      return read(cached.get(), rows * dim);
    }
    Optional<Path> prefix = largestBelow(key, rows, dim);
    int have = prefix.isPresent() ? (int) rowCount(prefix.get().getFileName().toString()) : 0;
    float[] data = new float[rows * dim];
    if (have > 0) {
      System.arraycopy(read(prefix.get(), have * dim), 0, data, 0, have * dim);
    }
    float[] rest = generator.generate(have, rows);
    if (rest.length != (rows - have) * dim) {
      throw new IllegalStateException(
          "generator for " + key + " made " + rest.length + " floats, not " + (rows - have) * dim);
    }
    System.arraycopy(rest, 0, data, have * dim, rest.length);
    write(folder.resolve(String.format(Locale.ROOT, "%s-%dx%d.f32", key, rows, dim)), data);
    return data;
  }

  private Optional<Path> largestBelow(String key, int rows, int dim) throws IOException {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    Pattern name = fileName(key, dim);
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(p -> name.matcher(p.getFileName().toString()).matches())
          .filter(p -> rowCount(p.getFileName().toString()) < rows)
          .max(Comparator.comparingLong(p -> rowCount(p.getFileName().toString())));
    }
  }

  /** Whether a file for {@code key} with at least {@code rows} rows exists. */
  boolean has(String key, int rows, int dim) throws IOException {
    return find(key, rows, dim).isPresent();
  }

  private Optional<Path> find(String key, int rows, int dim) throws IOException {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    Pattern name = fileName(key, dim);
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(
              p -> {
                Matcher m = name.matcher(p.getFileName().toString());
                return m.matches() && Long.parseLong(m.group(1)) >= rows;
              })
          .min(
              (a, b) ->
                  Long.compare(
                      rowCount(a.getFileName().toString()), rowCount(b.getFileName().toString())));
    }
  }

  private static Pattern fileName(String key, int dim) {
    return Pattern.compile(Pattern.quote(key) + "-(\\d+)x" + dim + "\\.f32");
  }

  private static long rowCount(String fileName) {
    String size = fileName.substring(fileName.lastIndexOf('-') + 1, fileName.lastIndexOf('x'));
    return Long.parseLong(size);
  }

  private static float[] read(Path file, int floats) throws IOException {
    float[] out = new float[floats];
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      int done = 0;
      while (done < floats) {
        buffer.clear();
        buffer.limit(Math.min(buffer.capacity(), (floats - done) * Float.BYTES));
        while (buffer.hasRemaining()) {
          if (channel.read(buffer) < 0) {
            throw new IOException(file + " ends after " + done + " floats, expected " + floats);
          }
        }
        buffer.flip();
        int n = buffer.remaining() / Float.BYTES;
        buffer.asFloatBuffer().get(out, done, n);
        done += n;
      }
    }
    return out;
  }

  private void write(Path file, float[] data) throws IOException {
    Files.createDirectories(folder);
    Path tmp = Files.createTempFile(folder, "partial-", ".tmp");
    try {
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        int done = 0;
        while (done < data.length) {
          buffer.clear();
          int n = Math.min(buffer.capacity() / Float.BYTES, data.length - done);
          buffer.asFloatBuffer().put(data, done, n);
          buffer.limit(n * Float.BYTES);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          done += n;
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
