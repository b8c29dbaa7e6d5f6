package io.mmsearch.encoders.image;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A frozen pretrained image backbone that a bundle references instead of carrying it: an ONNX graph
 * identified by its SHA-256 that turns preprocessed pixels ({@code input}, float32 {@code [batch,
 * 3, H, W]}) into features ({@code output}, float32 {@code [batch, dimension]}), which feed the
 * bundle's {@code image.onnx} head.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name what the graph is, e.g. {@code nsfwjs-4.4.0/mobilenet_v2}
 * @param file the ONNX file name, looked up beside {@code bundle.json}, in the backbone folders,
 *     then on the class path
 * @param sha256 lower-case hex SHA-256 of the file's bytes; loading refuses any other bytes
 * @param size the file's length in bytes
 * @param source how to get the file, quoted in the error when it is missing
 * @param input the graph's pixel input name
 * @param output the graph's feature output name
 * @param dimension width {@code F} of the features
 * @param minSize the smallest image side (in pixels, of the image as stored) the backbone is fed:
 *     smaller images are refused, larger ones are resized to the bundle's image size
 */
public record ImageBackboneSpec(
    String name,
    String file,
    String sha256,
    long size,
    String source,
    String input,
    String output,
    int dimension,
    int minSize) {

  public ImageBackboneSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
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
    if (minSize <= 0) {
      throw new IllegalArgumentException("backbone min_size must be positive, got " + minSize);
    }
  }
}
