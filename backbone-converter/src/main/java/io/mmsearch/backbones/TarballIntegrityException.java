package io.mmsearch.backbones;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An npm tarball whose bytes do not hash to the digests the project pinned: tampered with,
 * truncated, or another version. The message names the file, the package, the expected and the
 * actual digest.
 */
public final class TarballIntegrityException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  TarballIntegrityException(Path file, String message) {
    super(message);
    this.file = file;
  }

  /** The tarball that failed. */
  public Path file() {
    return file;
  }
}
