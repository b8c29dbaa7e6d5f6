package io.mmsearch.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes length-delimited protobuf sub-messages. Each ONNX message is serialised into its own
 * buffer first because the wire format puts a message's length before its bytes.
 */
final class ProtoWire {

  /** Writes the fields of one message. */
  @FunctionalInterface
  interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private ProtoWire() {}

  static byte[] serialize(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      body.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise ONNX message", e);
    }
    return bytes.toByteArray();
  }

  static void writeMessage(CodedOutputStream out, int field, Body body) throws IOException {
    out.writeByteArray(field, serialize(body));
  }
}
