package io.mmsearch.faiss;

/**
 * The FAISS native library could not be loaded. The message names the JNI library, the platform,
 * the underlying {@link UnsatisfiedLinkError} message and what to install; the cause is the
 * original error.
 */
public final class FaissUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  FaissUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
