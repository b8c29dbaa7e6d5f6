package io.mmsearch.encoders.text;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A frozen pretrained text backbone that a bundle references instead of carrying it: an ONNX token
 * graph identified by its SHA-256, whose pooled output feeds the bundle's {@code text.onnx} head.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name what the model is, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}
 * @param file the ONNX file name, looked up beside {@code bundle.json}, in the backbone folders,
 *     then on the class path (see {@code io.mmsearch.encoders.bundle.BackboneLocator})
 * @param sha256 lower-case hex SHA-256 of the file's bytes; loading refuses any other bytes
 * @param size the file's length in bytes
 * @param source how to get the file, quoted in the error when it is missing
 * @param graph how to call it and pool its output
 * @param dimension width {@code F} of the pooled features
 */
public record BackboneSpec(
    String name,
    String file,
    String sha256,
    long size,
    String source,
    TokenGraphSpec graph,
    int dimension) {

  public BackboneSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(graph, "graph");
    if (sha256 == null
        || sha256.length() != 64
        || !sha256.chars().allMatch(HexFormat::isHexDigit)) {
      throw new IllegalArgumentException("backbone sha256 must be 64 hex digits, got " + sha256);
    }
    sha256 = sha256.toLowerCase(Locale.ROOT);
    if (size <= 0) {
      throw new IllegalArgumentException("backbone size must be positive, got " + size);
    }
    if (dimension <= 0) {
      throw new IllegalArgumentException("backbone dimension must be positive, got " + dimension);
    }
  }
}
