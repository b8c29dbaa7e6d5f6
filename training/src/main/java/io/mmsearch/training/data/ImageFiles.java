package io.mmsearch.training.data;

import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.encoders.image.RefusedFileException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a training image's bytes through the encoders' {@link ImageFileReader} (the one reader of
 * every path a user names), turning each refusal into a per-item reason.
 */
final class ImageFiles {
  private static final ImageFileReader READER = ImageFileReader.withDefaultBudget();

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
   * @throws UnusableImageException when it is missing, is not a regular file (a folder, a device, a
   *     pipe or a socket is never opened, so nothing blocks or reads forever), is over the size
   *     budget or cannot be read
   */
  static byte[] read(Path image) throws UnusableImageException {
    try {
      return READER.read(image);
    } catch (NoSuchFileException e) {
      throw new UnusableImageException("image file missing: " + image);
    } catch (RefusedFileException e) {
      throw new UnusableImageException("image refused: " + e.getMessage());
    } catch (IOException | OutOfMemoryError e) {
      throw new UnusableImageException("image unreadable: " + image + ": " + e);
    }
  }
}
