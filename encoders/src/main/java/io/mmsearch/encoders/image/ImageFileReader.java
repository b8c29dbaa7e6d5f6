package io.mmsearch.encoders.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads the bytes of an image file named by a path (a manifest line, a query, a Solr document's
 * {@code image_path}), refusing what is not a regular file and never reading more than a size
 * budget: the one reader of every path that a user or a client names.
 *
 * <p>What it guarantees, for any path:
 *
 * <ul>
 *   <li>Symbolic links are resolved first, then the file itself is checked without following links
 *       again: a directory, a character or block device ({@code /dev/zero}), a named pipe, a socket
 *       is refused with {@link RefusedFileException} naming what it is, before it is opened.
 *       Opening a named pipe would wait for a writer forever; reading a device may never end.
 *   <li>A file whose size is over the budget is refused before a byte is read (a sparse file larger
 *       than the heap costs nothing). At most {@code maxBytes + 1} bytes are ever read, so a file
 *       that grows while it is read is refused as soon as it passes the budget, whatever its size
 *       when it was opened; memory is bounded by the budget.
 *   <li>The file opened is the resolved one, opened without following links, so a link swapped in
 *       after the check fails the open instead of leading elsewhere.
 * </ul>
 *
 * <p>What it cannot guarantee: Java opens files without {@code O_NONBLOCK}, so a regular file
 * replaced by a named pipe in the instant between the check and the open (by someone who can write
 * the folder) would still block the open. The check runs immediately before the open, which is the
 * best the JDK allows.
 *
 * <p>A missing file or dangling link is a {@link java.nio.file.NoSuchFileException}, a link loop or
 * a permission problem the {@link IOException} the file system raised; everything this class
 * refuses itself is a {@link RefusedFileException}. Reads are interruptible: an interrupt closes
 * the channel and ends the read with {@link java.nio.channels.ClosedByInterruptException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageFileReader {
  /** The default budget, 256 MiB: the largest image file {@code mmsearch index} reads. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  /** The largest budget: one byte more must still fit in a Java array. */
  public static final long LARGEST_MAX_BYTES = Integer.MAX_VALUE - 16;

  private static final int FIRST_BUFFER_BYTES = 64 << 10;

  private final long maxBytes;

  /**
   * @param maxBytes the largest file read, in bytes; at most {@link #LARGEST_MAX_BYTES}
   */
  public ImageFileReader(long maxBytes) {
    if (maxBytes < 0 || maxBytes > LARGEST_MAX_BYTES) {
      throw new IllegalArgumentException(
          "the size budget must be 0.." + LARGEST_MAX_BYTES + " bytes, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** A reader with the {@link #DEFAULT_MAX_BYTES default budget}. */
  public static ImageFileReader withDefaultBudget() {
    return new ImageFileReader(DEFAULT_MAX_BYTES);
  }

  /** The largest file read, in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * The whole content of {@code file}, if it is a regular file (after following links) of at most
   * {@link #maxBytes()} bytes.
   *
   * @throws RefusedFileException if it is not a regular file, or is or grows over the budget
   * @throws java.nio.file.NoSuchFileException if it does not exist (or is a dangling link)
   * @throws IOException if the file system refuses (permission, a loop of links) or a read fails
   */
  public byte[] read(Path file) throws IOException {
    Path real = file.toRealPath();
    BasicFileAttributes attributes =
        Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile()) {
      throw new RefusedFileException(file, "not a regular file: it is " + kind(real, attributes));
    }
    checkSize(file, attributes.size());
    try (FileChannel channel =
        FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = channel.size(); // of what was opened, which may differ from what was checked
      checkSize(file, size);
      return readBounded(file, channel, size);
    }
  }

  private void checkSize(Path file, long size) throws RefusedFileException {
    if (size > maxBytes) {
      throw new RefusedFileException(
          file, "file is " + size + " bytes, over the limit of " + maxBytes + " bytes");
    }
  }

  private byte[] readBounded(Path file, FileChannel channel, long sizeWhenOpened)
      throws IOException {
    long limit = maxBytes + 1; // one byte more tells a file that grew past the budget
    byte[] buffer = new byte[(int) Math.min(limit, Math.max(sizeWhenOpened + 1, 1))];
    if (buffer.length < FIRST_BUFFER_BYTES && sizeWhenOpened == 0) {
      // Some files report no size yet have content (under /proc); start with a useful buffer.
      buffer = new byte[(int) Math.min(limit, FIRST_BUFFER_BYTES)];
    }
    int filled = 0;
    while (true) {
      if (filled == buffer.length) {
        if (filled >= limit) {
          throw new RefusedFileException(
              file,
              "grew past the limit of "
                  + maxBytes
                  + " bytes while being read (it had "
                  + sizeWhenOpened
                  + " when opened)");
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * buffer.length));
      }
      int n = channel.read(ByteBuffer.wrap(buffer, filled, buffer.length - filled));
      if (n < 0) {
        return filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
      }
      filled += n;
    }
  }

  /** What a non-regular file is, in words. */
  private static String kind(Path real, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
    Integer mode = unixMode(real);
    if (mode != null) {
      switch (mode & 0170000) {
        case 0010000:
          return "a named pipe (FIFO)";
        case 0020000:
          return "a character device";
        case 0060000:
          return "a block device";
        case 0140000:
          return "a socket";
        default:
          break;
      }
    }
    return "a device, pipe or socket";
  }

  /** The file's type and permission bits where the file system has them ({@code st_mode}). */
  private static Integer unixMode(Path real) {
    try {
      Object mode = Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return mode instanceof Integer ? (Integer) mode : null;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null; // no "unix" view here: the general description will do
    }
  }
}
