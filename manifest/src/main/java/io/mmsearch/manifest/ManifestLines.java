package io.mmsearch.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Splits a byte stream into numbered physical lines without decoding them, so that each line is
 * decoded on its own and one bad byte costs one line. A line ends at {@code \n}; a {@code \r}
 * before it is dropped; a UTF-8 byte order mark at the very start is skipped. A line longer than
 * {@code maxLineBytes} is read through but kept only up to the limit and flagged.
 *
 * <p>Lines can be pushed back to be read again, in order: a CSV record that turns out malformed
 * gives back the lines it had taken as a quoted cell's continuation. Not thread-safe.
 */
final class ManifestLines {

  /** A physical line of raw bytes, its 1-based number, and whether it was cut at the limit. */
  record RawLine(byte[] bytes, long number, boolean tooLong) {}

  private final InputStream in;
  private final int maxLineBytes;
  private final Deque<RawLine> pushedBack = new ArrayDeque<>();
  private long number;
  private boolean first = true;
  private byte[] buf = new byte[256];

  ManifestLines(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line without its terminator, or null at the end. */
  RawLine next() throws IOException {
    if (!pushedBack.isEmpty()) {
      return pushedBack.pollFirst();
    }
    int len = 0;
    boolean tooLong = false;
    int b = in.read();
    if (b < 0) {
      return null;
    }
    while (b >= 0 && b != '\n') {
      if (len < maxLineBytes) {
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, Math.min(maxLineBytes, buf.length * 2));
        }
        buf[len++] = (byte) b;
      } else {
        tooLong = true;
      }
      b = in.read();
    }
    if (len > 0 && buf[len - 1] == '\r') {
      len--;
    }
    int start = 0;
    if (first
        && len >= 3
        && (buf[0] & 0xFF) == 0xEF
        && (buf[1] & 0xFF) == 0xBB
        && (buf[2] & 0xFF) == 0xBF) {
      start = 3;
    }
    first = false;
    number++;
    return new RawLine(Arrays.copyOfRange(buf, start, len), number, tooLong);
  }

  /** Makes {@code lines} (in order) the next lines {@link #next()} returns. */
  void pushBack(List<RawLine> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      pushedBack.addFirst(lines.get(i));
    }
  }

  /** Reads to the end and returns how many lines were left. */
  long skipRest() throws IOException {
    long n = 0;
    while (next() != null) {
      n++;
    }
    return n;
  }
}
