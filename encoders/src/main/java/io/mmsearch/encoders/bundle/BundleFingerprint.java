package io.mmsearch.encoders.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The content fingerprint of a model bundle: lower-case hex SHA-256 over, for each file in the
 * order {@code image.onnx}, {@code text.onnx}, vocabulary file, the file's name in UTF-8, a zero
 * byte, the file's length as an 8-byte big-endian integer, and the file's bytes. Names and lengths
 * are hashed so that renaming a file or moving bytes between files changes the fingerprint.
 *
 * <p>Indexes record this value: two bundles with the same fingerprint produce the same vectors.
 * Stateless and thread-safe.
 */
public final class BundleFingerprint {
  private BundleFingerprint() {}

  /** Fingerprint of files on disk, read in streaming fashion; {@code names} in hashing order. */
  public static String ofFiles(Path directory, List<String> names) throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[1 << 16];
    for (String name : names) {
      Path file = directory.resolve(name);
      header(sha, name, Files.size(file));
      try (InputStream in = Files.newInputStream(file)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          sha.update(buffer, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Fingerprint of file contents held in memory; {@code names} and {@code contents} align. */
  public static String ofBytes(List<String> names, List<byte[]> contents) {
    if (names.size() != contents.size()) {
      throw new IllegalArgumentException(names.size() + " names for " + contents.size() + " files");
    }
    MessageDigest sha = sha256();
    for (int i = 0; i < names.size(); i++) {
      header(sha, names.get(i), contents.get(i).length);
      sha.update(contents.get(i));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void header(MessageDigest sha, String name, long length) {
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(ByteBuffer.allocate(Long.BYTES).putLong(length).array());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has SHA-256", e);
    }
  }
}
