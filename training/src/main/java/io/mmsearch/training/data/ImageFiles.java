package io.mmsearch.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a training image's bytes, refusing what is not an ordinary file with a reason. */
final class ImageFiles {

  private ImageFiles() {}

  /** Why an item's image cannot be used; the message names the file and the reason. */
  static final class UnusableImageException extends Exception {
    UnusableImageException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The bytes of {@code image}.
   *
   * @throws UnusableImageException when it is missing, is not a regular file (a folder, a device,
   *     a pipe or a socket is never opened, so nothing blocks or reads forever) or cannot be read
   */
  static byte[] read(Path image) throws UnusableImageException {
    if (!Files.exists(image) && !Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
      throw new UnusableImageException("image file missing: " + image);
    }
    if (!Files.isRegularFile(image)) {
      throw new UnusableImageException(
          "image is not a regular file (a folder, device, pipe or socket): " + image);
    }
    try {
      return Files.readAllBytes(image);
    } catch (NoSuchFileException e) {
      throw new UnusableImageException("image file missing: " + image);
    } catch (IOException | OutOfMemoryError e) {
      throw new UnusableImageException("image unreadable: " + image + ": " + e);
    }
  }
}
