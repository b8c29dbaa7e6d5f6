package io.mmsearch.encoders.bundle;

import io.mmsearch.encoders.image.ImageBackboneSpec;
import io.mmsearch.encoders.text.BackboneSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Where a bundle's referenced backbone was found, and the one way to read it: {@link
 * #readVerified()}, which refuses bytes whose SHA-256 is not the declared one.
 *
 * <p>{@link #locate} looks, in order:
 *
 * <ol>
 *   <li>beside {@code bundle.json} (a file of the declared name in the bundle directory);
 *   <li>in each folder of the system property {@value #FOLDERS_PROPERTY} or else the environment
 *       variable {@value #FOLDERS_ENV} (a {@link File#pathSeparator}-separated list);
 *   <li>on the class path, as a resource of the declared name (where the build puts
 *       all-MiniLM-L6-v2: its Maven artifact is a dependency of the encoders module).
 * </ol>
 *
 * <p>Immutable and thread-safe.
 */
public final class BackboneFile {
  /** System property: folders that hold backbone files. */
  public static final String FOLDERS_PROPERTY = "mmsearch.backbones";

  /** Environment variable: folders that hold backbone files, if the property is not set. */
  public static final String FOLDERS_ENV = "MMSEARCH_BACKBONES";

  private final BackbonePin spec;
  private final Path bundleDirectory;
  private final Path path;
  private final URL resource;

  private BackboneFile(BackbonePin spec, Path bundleDirectory, Path path, URL resource) {
    this.spec = spec;
    this.bundleDirectory = bundleDirectory;
    this.path = path;
    this.resource = resource;
  }

  /**
   * Finds the backbone of a bundle and checks its size.
   *
   * @throws InvalidBundleException if it is nowhere to be found, naming the file, the expected
   *     SHA-256, every place searched and how to get it; or if the file found has another size
   */
  public static BackboneFile locate(Path bundleDirectory, BackboneSpec spec)
      throws InvalidBundleException {
    return locate(bundleDirectory, BackbonePin.of(spec));
  }

  /** {@link #locate(Path, BackbonePin)} for an image backbone. */
  public static BackboneFile locate(Path bundleDirectory, ImageBackboneSpec spec)
      throws InvalidBundleException {
    return locate(bundleDirectory, BackbonePin.of(spec));
  }

  /**
   * Finds a backbone file and checks its size.
   *
   * @throws InvalidBundleException if it is nowhere to be found, naming the file, the expected
   *     SHA-256, every place searched and how to get it; or if the file found has another size
   */
  public static BackboneFile locate(Path bundleDirectory, BackbonePin spec)
      throws InvalidBundleException {
    Path where = bundleDirectory != null ? bundleDirectory : Path.of(spec.file());
    ModelBundle.checkPlainFileName(where, spec.file(), spec.section() + ".file");
    List<Path> folders = new ArrayList<>();
    if (bundleDirectory != null) {
      folders.add(bundleDirectory);
    }
    List<Path> configured = configuredFolders();
    folders.addAll(configured);
    for (Path folder : folders) {
      Path candidate = folder.resolve(spec.file());
      if (Files.isRegularFile(candidate)) {
        BackboneFile found = new BackboneFile(spec, where, candidate, null);
        found.checkSize();
        return found;
      }
    }
    URL url = resource(spec.file());
    if (url != null) {
      BackboneFile found = new BackboneFile(spec, where, null, url);
      found.checkSize();
      return found;
    }
    throw new InvalidBundleException(
        where,
        "backbone file "
            + spec.file()
            + " ("
            + spec.name()
            + ", SHA-256 "
            + spec.sha256()
            + ") not found; looked "
            + (bundleDirectory != null ? "beside bundle.json, " : "")
            + "in the backbone folders "
            + configured
            + " (system property "
            + FOLDERS_PROPERTY
            + " or environment variable "
            + FOLDERS_ENV
            + ") and on the class path. Get it from "
            + spec.source()
            + ", then put it beside bundle.json or in a backbone folder");
  }

  private static List<Path> configuredFolders() {
    String value = System.getProperty(FOLDERS_PROPERTY);
    if (value == null || value.isBlank()) {
      value = System.getenv(FOLDERS_ENV);
    }
    List<Path> folders = new ArrayList<>();
    if (value != null) {
      for (String part : value.split(File.pathSeparator)) {
        if (!part.isBlank()) {
          folders.add(Path.of(part.trim()));
        }
      }
    }
    return folders;
  }

  private static URL resource(String name) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    URL url = context == null ? null : context.getResource(name);
    return url != null ? url : BackboneFile.class.getClassLoader().getResource(name);
  }

  private void checkSize() throws InvalidBundleException {
    long actual;
    try {
      if (path != null) {
        actual = Files.size(path);
      } else {
        URLConnection c = resource.openConnection();
        c.setUseCaches(false);
        actual = c.getContentLengthLong();
        c.getInputStream().close();
      }
    } catch (IOException e) {
      throw new InvalidBundleException(
          bundleDirectory, "backbone " + where() + " cannot be read: " + e.getMessage(), e);
    }
    if (actual >= 0 && actual != spec.size()) {
      throw altered("is " + actual + " bytes long");
    }
  }

  /** The backbone as declared. */
  public BackbonePin pin() {
    return spec;
  }

  /** Where it was found: a file path, or {@code class path <url>}. */
  public String where() {
    return path != null ? path.toString() : "class path " + resource;
  }

  /** The file, or null if the backbone is a class-path resource. */
  public Path path() {
    return path;
  }

  /**
   * Reads the whole backbone and checks its SHA-256 against the declared one; the bytes returned
   * are exactly those verified.
   *
   * @throws InvalidBundleException if the hash differs, naming the file, both hashes and where to
   *     get the right one
   */
  public byte[] readVerified() throws IOException {
    byte[] bytes;
    try (InputStream in = path != null ? Files.newInputStream(path) : open(resource)) {
      bytes = in.readAllBytes();
    }
    MessageDigest sha = BundleFingerprint.sha256();
    String actual = HexFormat.of().formatHex(sha.digest(bytes));
    if (!actual.equals(spec.sha256())) {
      throw altered("has SHA-256 " + actual);
    }
    return bytes;
  }

  private static InputStream open(URL url) throws IOException {
    URLConnection c = url.openConnection();
    c.setUseCaches(false);
    return c.getInputStream();
  }

  private InvalidBundleException altered(String what) {
    return new InvalidBundleException(
        bundleDirectory,
        "backbone "
            + spec.file()
            + " at "
            + where()
            + " "
            + what
            + ", but bundle.json expects "
            + spec.name()
            + " with SHA-256 "
            + spec.sha256()
            + " ("
            + spec.size()
            + " bytes): the file is altered, truncated or another version. Get the right one from "
            + spec.source());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackboneFile b
        && spec.equals(b.spec)
        && Objects.equals(path, b.path)
        && Objects.equals(String.valueOf(resource), String.valueOf(b.resource));
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, path, String.valueOf(resource));
  }

  @Override
  public String toString() {
    return "BackboneFile[" + spec.name() + " at " + where() + "]";
  }
}
