package io.mmsearch.manifest;

import static io.mmsearch.manifest.FieldValues.shown;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns the {@code image} value of a manifest record into a path, enforcing the folder rules that
 * {@link ManifestReader} documents: relative paths never escape the manifest's folder, absolute
 * paths and {@code file:} URIs only when not confined, no other URI scheme, and when confined no
 * symbolic link leading outside. The image file itself is never opened.
 *
 * <p>Immutable and thread-safe; one instance serves one pass over a manifest.
 */
final class ImageReferences {

  private final Path folder;
  private final boolean confine;
  private final Path realFolder;

  /**
   * @param folder the manifest's folder, absolute and normalised
   * @param confine whether absolute paths and {@code file:} URIs must stay inside {@code folder}
   * @throws IOException if {@code confine} is set and the folder's real path cannot be read
   */
  ImageReferences(Path folder, boolean confine) throws IOException {
    this.folder = folder;
    this.confine = confine;
    // Compared with every link resolved only when confined: links are the user's business
    // otherwise.
    this.realFolder = confine ? folder.toRealPath() : null;
  }

  /**
   * The image a reference names, resolved against the manifest's folder.
   *
   * @throws IllegalArgumentException with the reason, naming the reference, when it is not
   *     acceptable
   */
  Path resolve(String ref) {
    Path path;
    boolean relative;
    if (ref.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        path = Path.of(new URI(ref));
      } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
        throw new IllegalArgumentException(
            "invalid file URI " + shown(ref) + ": " + shown(String.valueOf(e.getMessage())));
      }
      relative = false;
    } else if (ref.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      throw new IllegalArgumentException(
          "unsupported image URI " + shown(ref) + " (only local paths and file: URIs are read)");
    } else {
      try {
        path = Path.of(ref);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(
            "invalid image path " + shown(ref) + ": " + e.getReason());
      }
      relative = !path.isAbsolute();
    }
    Path resolved = folder.resolve(path).normalize();
    if (!resolved.startsWith(folder) && (relative || confine)) {
      throw new IllegalArgumentException(
          "image path "
              + shown(ref)
              + " is outside the manifest's folder "
              + folder
              + (relative ? "" : " (--confine is set)"));
    }
    if (realFolder != null) {
      Path real = realPath(resolved);
      if (!real.startsWith(realFolder)) {
        throw new IllegalArgumentException(
            "image path "
                + shown(ref)
                + " leads through a symbolic link to "
                + shown(real.toString())
                + ", outside the manifest's folder "
                + realFolder
                + " (--confine is set)");
      }
    }
    return resolved;
  }

  /**
   * {@code path} with every symbolic link resolved; for a path that does not exist (yet), its
   * deepest existing ancestor resolved and the rest appended, so a link in the folders above a
   * missing file is still seen.
   */
  private static Path realPath(Path path) {
    Path existing = path;
    while (existing != null) {
      try {
        Path real = existing.toRealPath();
        return existing == path ? real : real.resolve(existing.relativize(path)).normalize();
      } catch (IOException e) {
        existing = existing.getParent();
      }
    }
    return path;
  }
}
