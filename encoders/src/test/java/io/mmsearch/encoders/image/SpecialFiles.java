package io.mmsearch.encoders.image;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Files that are not what an image path should name, for the bad-input corpora of every reader of
 * paths (index, train, eval, the Solr ingest processor): a named pipe that would block its reader
 * forever, a socket, character devices that never end, a sparse file larger than any heap, and a
 * file that keeps growing while it is read. All real: made with the operating system's own calls.
 */
public final class SpecialFiles {
  /** A character device that never ends. */
  public static final Path ZERO_DEVICE = Path.of("/dev/zero");

  /** A character device that reads empty. */
  public static final Path NULL_DEVICE = Path.of("/dev/null");

  private SpecialFiles() {}

  /** A named pipe with no writer: opening it for reading blocks until one comes. */
  public static Path namedPipe(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Process p = new ProcessBuilder("mkfifo", file.toString()).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            "mkfifo " + file + " failed: " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return file;
  }

  /** A Unix domain socket file (bound, then closed: the file stays). */
  public static Path socket(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(file));
    }
    return file;
  }

  /** A sparse file of {@code size} bytes: it takes no disk space and reads as zeros. */
  public static Path sparse(Path file, long size) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
    return file;
  }

  /** A sparse file larger than this JVM's largest heap (and than any Java array). */
  public static Path largerThanTheHeap(Path file) throws IOException {
    return sparse(file, Math.max(Runtime.getRuntime().maxMemory(), Integer.MAX_VALUE) * 2);
  }

  /**
   * A file that grows without end while it exists: a daemon thread extends it (sparse, so it costs
   * no disk) by {@code stepBytes} about every 0.1 ms, up to 1 TiB. Returns once it has grown at
   * least once. Closing stops the growth and leaves the file.
   */
  public static Growing growing(Path file, long stepBytes) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Growing growing = new Growing(file, stepBytes);
    while (Files.size(file) <= 4) {
      Thread.onSpinWait();
    }
    return growing;
  }

  /** A file being extended by a background thread until {@link #close()}. */
  public static final class Growing implements AutoCloseable {
    private static final long LARGEST = 1L << 40;

    private final Path file;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread grower;

    private Growing(Path file, long stepBytes) {
      this.file = file;
      this.grower =
          new Thread(
              () -> {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                  while (running.get() && f.length() < LARGEST) {
                    f.setLength(f.length() + stepBytes);
                    LockSupport.parkNanos(100_000);
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              "growing-" + file.getFileName());
      grower.setDaemon(true);
      grower.start();
    }

    public Path file() {
      return file;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      grower.join();
    }
  }
}
