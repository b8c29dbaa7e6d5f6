package io.mmsearch.backbones;

import java.io.IOException;

/**
 * A converted graph whose bytes are not the pinned ones: the converter, the package or the taps
 * changed. The message names the file, both hashes and what to do.
 */
public final class PinnedHashException extends IOException {
  private static final long serialVersionUID = 1L;

  PinnedHashException(String message) {
    super(message);
  }

  /**
   * Checks that {@code converted} hashes to {@code pinned}.
   *
   * @param file the file name the graph is written as, for the message
   * @throws PinnedHashException naming the file, the taps, the pinned and the actual SHA-256
   */
  public static void check(String file, ConvertedBackbone converted, String pinned)
      throws PinnedHashException {
    String actual = converted.sha256();
    if (!actual.equals(pinned)) {
      throw new PinnedHashException(
          "converted graph "
              + file
              + " (taps "
              + converted.taps()
              + ", "
              + converted.onnx().length
              + " bytes) has SHA-256 "
              + actual
              + " but the project pins "
              + pinned
              + ": the converter, the npm package or the taps changed. Every machine must build"
              + " the same bytes; if the change is deliberate, pin the new hash in"
              + " MobileNetV2Nsfwjs.SHIPPED_SHA256 and in encoders' PretrainedImageBackbones");
    }
  }
}
