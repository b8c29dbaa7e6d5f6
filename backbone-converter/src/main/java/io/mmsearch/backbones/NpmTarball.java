package io.mmsearch.backbones;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Obtains a pinned npm package's tarball through the ordinary registry client, {@code npm pack},
 * into a cache folder, and refuses any tarball whose SHA-512 and SHA-1 are not the pinned ones (as
 * {@code scripts/data/fetch-packages.sh} does for the emoji packages). A tarball already in the
 * cache is re-verified, not re-fetched; a cached one that fails is fetched again; a fetched one
 * that fails is deleted and reported.
 *
 * <p>Stateless; concurrent fetches of the same package into the same folder are not coordinated
 * (the build runs one).
 */
public final class NpmTarball {
  private static final long NPM_TIMEOUT_MINUTES = 10;

  private NpmTarball() {}

  /**
   * The verified tarball of {@code pkg} in {@code cacheDir}, fetched with {@code npm pack} if it is
   * not there or does not verify.
   *
   * @throws TarballIntegrityException if the fetched tarball's digests differ from the pins (the
   *     file is deleted)
   * @throws IOException if npm is missing or fails, naming the command and its output
   */
  public static Path fetch(NpmPackage pkg, Path cacheDir) throws IOException {
    Files.createDirectories(cacheDir);
    Path tarball = cacheDir.resolve(pkg.tarballName());
    if (Files.isRegularFile(tarball)) {
      try {
        verify(tarball, pkg);
        return tarball;
      } catch (TarballIntegrityException stale) {
        System.err.println(stale.getMessage() + "; fetching it again");
        Files.delete(tarball);
      }
    }
    runNpmPack(pkg, cacheDir);
    if (!Files.isRegularFile(tarball)) {
      throw new IOException("npm pack " + pkg.spec() + " did not write " + tarball);
    }
    try {
      verify(tarball, pkg);
    } catch (TarballIntegrityException e) {
      Files.deleteIfExists(tarball);
      throw new TarballIntegrityException(e.file(), e.getMessage() + "; deleted it");
    }
    return tarball;
  }

  /**
   * Checks {@code tarball} against the registry digests pinned in {@code pkg}.
   *
   * @throws TarballIntegrityException naming the file, the package, the expected and the actual
   *     digest
   */
  public static void verify(Path tarball, NpmPackage pkg) throws IOException {
    MessageDigest sha512 = digest("SHA-512");
    MessageDigest sha1 = digest("SHA-1");
    long length = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(tarball)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha512.update(buffer, 0, n);
        sha1.update(buffer, 0, n);
        length += n;
      }
    }
    String actualIntegrity = "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
    String actualShasum = HexFormat.of().formatHex(sha1.digest());
    if (!actualIntegrity.equals(pkg.integrity())) {
      throw mismatch(tarball, pkg, "SHA-512", pkg.integrity(), actualIntegrity, length);
    }
    if (!actualShasum.equals(pkg.shasum())) {
      throw mismatch(tarball, pkg, "SHA-1", pkg.shasum(), actualShasum, length);
    }
  }

  private static TarballIntegrityException mismatch(
      Path file, NpmPackage pkg, String algorithm, String expected, String actual, long length) {
    return new TarballIntegrityException(
        file,
        file
            + " ("
            + length
            + " bytes) is not the registry's "
            + pkg.spec()
            + ": its "
            + algorithm
            + " is "
            + actual
            + " but the project pins "
            + expected
            + " (tampered with, truncated or another version)");
  }

  private static void runNpmPack(NpmPackage pkg, Path cacheDir) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "npm",
                "pack",
                pkg.spec(),
                "--pack-destination",
                cacheDir.toString(),
                "--silent",
                "--ignore-scripts"));
    System.err.println("fetching " + pkg.spec() + " with npm pack into " + cacheDir);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run npm (needed once to fetch "
              + pkg.spec()
              + "; ./mmsearch installs it from Debian, or install the Debian package npm): "
              + e.getMessage(),
          e);
    }
    p.getOutputStream().close();
    byte[] output = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 10 minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command)
              + " failed with exit code "
              + p.exitValue()
              + ": "
              + new String(output, StandardCharsets.UTF_8).strip());
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has " + algorithm, e);
    }
  }
}
