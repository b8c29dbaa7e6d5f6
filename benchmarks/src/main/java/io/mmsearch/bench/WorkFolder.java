package io.mmsearch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's scratch folder: the one the user named (kept afterwards), or a new temporary folder
 * that {@link #close()} deletes with everything in it.
 */
final class WorkFolder implements AutoCloseable {
  private final Path path;
  private final boolean temporary;

  private WorkFolder(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /** {@code given} if not null (created if missing), else a new temporary folder. */
  static WorkFolder of(Path given, String prefix) throws IOException {
    if (given != null) {
      return new WorkFolder(Files.createDirectories(given), false);
    }
    return new WorkFolder(Files.createTempDirectory(prefix), true);
  }

  Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    if (!temporary) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
