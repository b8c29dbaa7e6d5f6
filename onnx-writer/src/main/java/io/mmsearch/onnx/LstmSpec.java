package io.mmsearch.onnx;

import java.util.Objects;

/**
 * The parameters of one ONNX LSTM node, as tensor names in the graph (usually initializers) plus
 * the attributes.
 *
 * <p>Shapes, with {@code D} = {@link LstmDirection#numDirections()}, {@code H} = hidden size and
 * {@code I} = input size: input weights {@code W [D, 4H, I]}, recurrent weights {@code R [D, 4H,
 * H]}, optional bias {@code B [D, 8H]} (input bias then recurrent bias), optional sequence lengths
 * {@code [N]} int32, optional initial hidden and cell states {@code [D, N, H]}. Gate blocks inside
 * {@code 4H} are in ONNX order <b>i, o, f, c</b> (input, output, forget, cell); PyTorch stores
 * <b>i, f, g, o</b>, see {@link LstmGateOrder}.
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class LstmSpec {
  private final int hiddenSize;
  private final LstmDirection direction;
  private final String inputWeights;
  private final String recurrentWeights;
  private final String bias;
  private final String sequenceLengths;
  private final String initialHidden;
  private final String initialCell;

  private LstmSpec(Builder b) {
    if (b.hiddenSize <= 0) {
      throw new IllegalArgumentException("LSTM hidden size must be > 0, got " + b.hiddenSize);
    }
    this.hiddenSize = b.hiddenSize;
    this.direction = Objects.requireNonNull(b.direction, "LSTM direction");
    this.inputWeights = Objects.requireNonNull(b.inputWeights, "LSTM input weights (W)");
    this.recurrentWeights =
        Objects.requireNonNull(b.recurrentWeights, "LSTM recurrent weights (R)");
    this.bias = b.bias;
    this.sequenceLengths = b.sequenceLengths;
    if ((b.initialHidden == null) != (b.initialCell == null)) {
      throw new IllegalArgumentException(
          "LSTM initial hidden and cell state must be given together");
    }
    this.initialHidden = b.initialHidden;
    this.initialCell = b.initialCell;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  public LstmDirection direction() {
    return direction;
  }

  public String inputWeights() {
    return inputWeights;
  }

  public String recurrentWeights() {
    return recurrentWeights;
  }

  /** The bias tensor name, or null when the node has no bias. */
  public String bias() {
    return bias;
  }

  /** The int32 sequence-lengths tensor name, or null when every sequence fills all steps. */
  public String sequenceLengths() {
    return sequenceLengths;
  }

  /** The initial hidden state tensor name, or null for zeros. */
  public String initialHidden() {
    return initialHidden;
  }

  /** The initial cell state tensor name, or null for zeros. */
  public String initialCell() {
    return initialCell;
  }

  /** Collects the parameters of an {@link LstmSpec}. Not thread-safe. */
  public static final class Builder {
    private int hiddenSize;
    private LstmDirection direction = LstmDirection.FORWARD;
    private String inputWeights;
    private String recurrentWeights;
    private String bias;
    private String sequenceLengths;
    private String initialHidden;
    private String initialCell;

    private Builder() {}

    public Builder hiddenSize(int hiddenSize) {
      this.hiddenSize = hiddenSize;
      return this;
    }

    /** Defaults to {@link LstmDirection#FORWARD}. */
    public Builder direction(LstmDirection direction) {
      this.direction = direction;
      return this;
    }

    /** Required: {@code W [D, 4H, I]}. */
    public Builder inputWeights(String tensor) {
      this.inputWeights = tensor;
      return this;
    }

    /** Required: {@code R [D, 4H, H]}. */
    public Builder recurrentWeights(String tensor) {
      this.recurrentWeights = tensor;
      return this;
    }

    /** Optional: {@code B [D, 8H]}. */
    public Builder bias(String tensor) {
      this.bias = tensor;
      return this;
    }

    /** Optional: int32 {@code [N]}; steps at or beyond a sequence's length are skipped. */
    public Builder sequenceLengths(String tensor) {
      this.sequenceLengths = tensor;
      return this;
    }

    /** Optional: initial hidden and cell state, each {@code [D, N, H]}. */
    public Builder initialState(String hidden, String cell) {
      this.initialHidden = hidden;
      this.initialCell = cell;
      return this;
    }

    public LstmSpec build() {
      return new LstmSpec(this);
    }
  }
}
