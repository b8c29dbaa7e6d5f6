package io.mmsearch.encoders.image;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link ImageFileReader} refused a file: not a regular file, or over the size budget. The file
 * itself is at fault; reading it again cannot help until it changes. The message is {@code "<file>:
 * <reason>"}.
 */
public class RefusedFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String reason;

  public RefusedFileException(Path file, String reason) {
    super(file + ": " + reason);
    this.file = file.toString();
    this.reason = reason;
  }

  /** The path as it was named (before links were resolved). */
  public String file() {
    return file;
  }

  /** Why it was refused, without the path. */
  public String reason() {
    return reason;
  }
}
