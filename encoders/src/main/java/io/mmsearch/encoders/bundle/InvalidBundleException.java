package io.mmsearch.encoders.bundle;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model bundle cannot be used: a file is missing, {@code bundle.json} is malformed or declares
 * something unsupported, the fingerprint does not match the files, or a graph does not match the
 * declared inputs, outputs or dimension. The message names the bundle directory (or file) and the
 * reason.
 */
public class InvalidBundleException extends IOException {
  private static final long serialVersionUID = 1L;

  public InvalidBundleException(Path where, String reason) {
    super("model bundle " + where + ": " + reason);
  }

  public InvalidBundleException(Path where, String reason, Throwable cause) {
    super("model bundle " + where + ": " + reason, cause);
  }
}
