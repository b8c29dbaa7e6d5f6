package io.mmsearch.onnx;

/** The {@code direction} attribute of an ONNX LSTM node. */
public enum LstmDirection {
  FORWARD("forward", 1),
  REVERSE("reverse", 1),
  BIDIRECTIONAL("bidirectional", 2);

  private final String onnxName;
  private final int numDirections;

  LstmDirection(String onnxName, int numDirections) {
    this.onnxName = onnxName;
    this.numDirections = numDirections;
  }

  /** The attribute value written to the file. */
  public String onnxName() {
    return onnxName;
  }

  /**
   * The {@code num_directions} axis size of the weights and outputs: 2 if bidirectional, else 1.
   */
  public int numDirections() {
    return numDirections;
  }
}
