package io.mmsearch.solr.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The folder below which documents may name image files by path. A path is accepted only if it lies
 * inside the root both lexically (after {@code ..} is resolved) and for real (after symbolic links
 * are followed), so neither {@code ../../etc/passwd} nor a link planted under the root can reach
 * outside it. Immutable and thread-safe.
 */
public final class ImageRoot {
  private final Path root;
  private final Path realRoot;

  /**
   * @throws IOException if {@code root} is not an existing folder
   */
  public ImageRoot(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(this.root)) {
      throw new NoSuchFileException(this.root.toString(), null, "image root is not a folder");
    }
    this.realRoot = this.root.toRealPath();
  }

  public Path path() {
    return root;
  }

  /**
   * The file {@code path} names: relative paths are taken from the root, absolute ones must be
   * inside it.
   *
   * @throws IllegalArgumentException with the reason if the path is malformed, missing or outside
   *     the root (what the file is, is the reader's to check: {@link
   *     io.mmsearch.encoders.image.ImageFileReader})
   */
  public Path resolve(String path) {
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a valid path: " + e.getMessage());
    }
    Path lexical = (p.isAbsolute() ? p : root.resolve(p)).normalize();
    if (!lexical.startsWith(root)) {
      throw new IllegalArgumentException("path is outside the image root " + root);
    }
    Path real;
    try {
      real = lexical.toRealPath();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file under the image root");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot resolve: " + e);
    }
    if (!real.startsWith(realRoot)) {
      throw new IllegalArgumentException(
          "path leads outside the image root " + root + " (through a symbolic link)");
    }
    return real;
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
