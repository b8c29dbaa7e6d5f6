package io.mmsearch.backbones;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A backbone converted to ONNX: the serialised graph ({@value TfjsToOnnx#INPUT} {@code [batch, 3,
 * height, width]} float32 in, {@value TfjsToOnnx#OUTPUT} {@code [batch, dimension]} out) and where
 * each tap's floats sit in a row of its output.
 *
 * @param onnx the model bytes; not copied, do not modify
 * @param layout one slice per tap, in output order, covering the row exactly
 * @param dimension floats per image
 * @param minSize smallest input height and width the graph accepts
 */
public record ConvertedBackbone(byte[] onnx, List<Slice> layout, int dimension, int minSize) {

  /**
   * Where one tap's floats sit in a row of the output.
   *
   * @param tap the tap
   * @param offset its first column
   * @param width its number of columns
   */
  public record Slice(Tap tap, int offset, int width) {}

  public ConvertedBackbone {
    layout = List.copyOf(layout);
  }

  /** The slice of {@code tap}, or null if the graph does not output it. */
  public Slice slice(Tap tap) {
    for (Slice s : layout) {
      if (s.tap().equals(tap)) {
        return s;
      }
    }
    return null;
  }

  /** Lower-case hex SHA-256 of {@link #onnx()}. */
  public String sha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has SHA-256", e);
    }
  }

  /** The taps in output order. */
  public List<Tap> taps() {
    return layout.stream().map(Slice::tap).toList();
  }
}
