package io.mmsearch.training.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.mmsearch.onnx.BatchNormFolding;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.KernelWindow;
import io.mmsearch.onnx.LstmDirection;
import io.mmsearch.onnx.LstmGateOrder;
import io.mmsearch.onnx.LstmOutputs;
import io.mmsearch.onnx.LstmSpec;
import io.mmsearch.onnx.OnnxGraphBuilder;
import io.mmsearch.onnx.OnnxModel;
import io.mmsearch.training.model.DualEncoder;
import io.mmsearch.training.model.DualEncoderConfig;
import io.mmsearch.training.model.ImageHead;
import io.mmsearch.training.model.ImageTower;
import io.mmsearch.training.model.ProjectionHead;
import io.mmsearch.training.model.TextTower;
import io.mmsearch.training.model.TextTowerKind;
import java.util.List;

/**
 * Writes the two towers of a {@link DualEncoder} as ONNX graphs with the bundle's fixed contract.
 *
 * <ul>
 *   <li>{@code image.onnx}: input {@code pixels} float32 {@code [batch, 3, S, S]}, output {@code
 *       embedding} {@code [batch, D]}. Each batch norm is folded into the convolution before it
 *       (running statistics, as in inference), so the graph is Conv + Relu + MaxPool per block,
 *       then GlobalAveragePool, Flatten, Gemm and L2 normalisation.
 *   <li>{@code text.onnx}: inputs {@code tokens} int64 {@code [batch, T]} ({@code T} = max tokens,
 *       padded with 0; the axis is dynamic, so any {@code T} covering every length gives the same
 *       vectors) and {@code lengths} int64 {@code [batch]}, output {@code embedding} {@code [batch,
 *       D]}. Gather (embedding) -> one bidirectional ONNX LSTM with {@code sequence_lens} (the two
 *       DJL LSTMs become its two directions, gates reordered from PyTorch's i,f,g,o to ONNX's
 *       i,o,f,c) -> masked mean over time -> Gemm -> L2 normalisation.
 * </ul>
 *
 * Stateless; reads the model's parameters without changing them.
 */
public final class OnnxExport {

  /** Graph input and output names of the bundle contract. */
  public static final String PIXELS = "pixels";

  public static final String TOKENS = "tokens";
  public static final String FEATURES = "features";
  public static final String LENGTHS = "lengths";
  public static final String EMBEDDING = "embedding";

  private OnnxExport() {}

  /** Input of an image head's graph: the frozen backbone's pooled features. */
  public static final String IMAGE_FEATURES = "features";

  /** The image graph of {@code model}: the CNN on pixels, or the head on backbone features. */
  public static OnnxModel imageGraph(DualEncoder model) {
    return model.config().hasImageBackbone() ? imageHeadGraph(model) : cnnGraph(model);
  }

  /**
   * The image head on a frozen backbone: input {@code features} float32 {@code [batch, F]}, output
   * {@code embedding} {@code [batch, D]}, L2-normalised: Sub (mean), Mul (inverse standard
   * deviation), Gemm, GELU (from Erf), Gemm, L2 normalisation. Dropout is the identity at
   * inference.
   */
  public static OnnxModel imageHeadGraph(DualEncoder model) {
    DualEncoderConfig config = model.config();
    ImageHead head = model.imageHead();
    int f = config.imageFeatureDim();
    int h = config.imageHiddenDim();
    int d = config.embeddingDim();
    OnnxGraphBuilder b = new OnnxGraphBuilder("mmsearch-image-head");
    String x = b.input(IMAGE_FEATURES, ElementType.FLOAT, Dim.batch(), Dim.of(f));
    x = b.sub(x, b.initializer("image.feature_mean", head.featureMean(), f));
    x = b.mul(x, b.initializer("image.feature_inverse_std", head.featureInverseStd(), f));
    x =
        b.gemm(
            x,
            b.initializer("image.hidden.weight", values(head.hidden(), "weight"), h, f),
            b.initializer("image.hidden.bias", values(head.hidden(), "bias"), h),
            true);
    x =
        b.gemm(
            b.gelu(x),
            b.initializer("image.projection.weight", values(head.projection(), "weight"), d, h),
            b.initializer("image.projection.bias", values(head.projection(), "bias"), d),
            true);
    b.output(EMBEDDING, b.l2Normalize(x, 1), ElementType.FLOAT, Dim.batch(), Dim.of(d));
    return b.build();
  }

  /** The CNN image graph of {@code model}. */
  public static OnnxModel cnnGraph(DualEncoder model) {
    DualEncoderConfig config = model.config();
    ImageTower tower = model.imageTower();
    OnnxGraphBuilder b = new OnnxGraphBuilder("mmsearch-image-encoder");
    int s = config.imageSize();
    String x = b.input(PIXELS, ElementType.FLOAT, Dim.batch(), Dim.of(3), Dim.of(s), Dim.of(s));
    int inChannels = 3;
    for (int i = 0; i < config.convWidths().size(); i++) {
      int width = config.convWidths().get(i);
      Block bn = tower.batchNorms().get(i);
      BatchNormFolding.FoldedConv folded =
          BatchNormFolding.fold(
              values(tower.convolutions().get(i), "weight"),
              null,
              values(bn, "gamma"),
              values(bn, "beta"),
              values(bn, "runningMean"),
              values(bn, "runningVar"),
              ImageTower.batchNormEpsilon());
      String w = b.initializer("conv" + i + ".weight", folded.weight(), width, inChannels, 3, 3);
      String bias = b.initializer("conv" + i + ".bias", folded.bias(), width);
      x = b.conv(x, w, bias, KernelWindow.square(3, 1, 1));
      x = b.relu(x);
      x = b.maxPool(x, KernelWindow.square(2, 2, 0));
      inChannels = width;
    }
    x = b.flatten(b.globalAveragePool(x), 1);
    x = projection(b, tower.projection(), x, inChannels, config.embeddingDim());
    b.output(
        EMBEDDING,
        b.l2Normalize(x, 1),
        ElementType.FLOAT,
        Dim.batch(),
        Dim.of(config.embeddingDim()));
    return b.build();
  }

  /** The text graph of {@code model}: the BiLSTM graph or the head graph, as it has. */
  public static OnnxModel textGraph(DualEncoder model) {
    if (model.config().textTower() == TextTowerKind.BACKBONE) {
      return frozenTextGraph(model);
    }
    return model.config().hasBackbone() ? headGraph(model) : biLstmGraph(model);
  }

  /**
   * The text side of {@link TextTowerKind#BACKBONE}: input {@code features} float32 {@code [batch,
   * F]}, output {@code embedding} {@code [batch, F]}, the features L2-normalised.
   */
  public static OnnxModel frozenTextGraph(DualEncoder model) {
    int f = model.config().textFeatureDim();
    OnnxGraphBuilder b = new OnnxGraphBuilder("mmsearch-text-frozen");
    String x = b.input(FEATURES, ElementType.FLOAT, Dim.batch(), Dim.of(f));
    b.output(EMBEDDING, b.l2Normalize(x, 1), ElementType.FLOAT, Dim.batch(), Dim.of(f));
    return b.build();
  }

  /**
   * The projection head on a frozen backbone: input {@code features} float32 {@code [batch, F]}
   * (the backbone's pooled features), output {@code embedding} {@code [batch, D]}, L2-normalised:
   * Gemm, GELU (from Erf), Gemm, Add (the residual), LayerNormalization, L2 normalisation. Dropout
   * is the identity at inference.
   */
  public static OnnxModel headGraph(DualEncoder model) {
    DualEncoderConfig config = model.config();
    ProjectionHead head = model.projectionHead();
    int f = config.textFeatureDim();
    int d = config.embeddingDim();
    OnnxGraphBuilder b = new OnnxGraphBuilder("mmsearch-text-head");
    String x = b.input(FEATURES, ElementType.FLOAT, Dim.batch(), Dim.of(f));
    String projected =
        b.gemm(
            x,
            b.initializer("head.projection.weight", values(head.projection(), "weight"), d, f),
            b.initializer("head.projection.bias", values(head.projection(), "bias"), d),
            true);
    String hidden =
        b.gemm(
            b.gelu(projected),
            b.initializer("head.hidden.weight", values(head.hidden(), "weight"), d, d),
            b.initializer("head.hidden.bias", values(head.hidden(), "bias"), d),
            true);
    String normed =
        b.layerNormalization(
            b.add(hidden, projected),
            b.initializer("head.norm.gamma", values(head.norm(), "gamma"), d),
            b.initializer("head.norm.beta", values(head.norm(), "beta"), d),
            -1,
            ProjectionHead.LAYER_NORM_EPSILON);
    b.output(EMBEDDING, b.l2Normalize(normed, 1), ElementType.FLOAT, Dim.batch(), Dim.of(d));
    return b.build();
  }

  /** The BiLSTM text graph of {@code model}. */
  public static OnnxModel biLstmGraph(DualEncoder model) {
    DualEncoderConfig config = model.config();
    TextTower tower = model.textTower();
    int hidden = config.lstmHidden();
    int embedding = config.tokenEmbeddingDim();
    OnnxGraphBuilder b = new OnnxGraphBuilder("mmsearch-text-encoder");
    // The token axis is left dynamic: max tokens satisfies the bundle contract, and a caller may
    // also pass a batch trimmed to its longest text (same vectors, fewer LSTM steps).
    String tokens = b.input(TOKENS, ElementType.INT64, Dim.batch(), Dim.symbolic("tokens"));
    String lengths = b.input(LENGTHS, ElementType.INT64, Dim.batch());
    String table =
        b.initializer(
            "token_embedding", floats(tower.embedding()), config.vocabularySize(), embedding);
    String sequence = b.transpose(b.gather(table, tokens, 0), 1, 0, 2); // [T, N, E]

    Block fwd = tower.forwardLstm();
    Block bwd = tower.backwardLstm();
    String w =
        b.initializer(
            "lstm.W",
            LstmGateOrder.stackDirections(
                LstmGateOrder.lstmWeightsFromPyTorchOrder(values(fwd, "l_0_i2h_WEIGHT"), hidden),
                LstmGateOrder.lstmWeightsFromPyTorchOrder(values(bwd, "l_0_i2h_WEIGHT"), hidden)),
            2,
            4L * hidden,
            embedding);
    String r =
        b.initializer(
            "lstm.R",
            LstmGateOrder.stackDirections(
                LstmGateOrder.lstmWeightsFromPyTorchOrder(values(fwd, "l_0_h2h_WEIGHT"), hidden),
                LstmGateOrder.lstmWeightsFromPyTorchOrder(values(bwd, "l_0_h2h_WEIGHT"), hidden)),
            2,
            4L * hidden,
            hidden);
    String bias =
        b.initializer(
            "lstm.B",
            LstmGateOrder.stackDirections(
                LstmGateOrder.lstmBiasFromPyTorchOrder(
                    values(fwd, "l_0_i2h_BIAS"), values(fwd, "l_0_h2h_BIAS"), hidden),
                LstmGateOrder.lstmBiasFromPyTorchOrder(
                    values(bwd, "l_0_i2h_BIAS"), values(bwd, "l_0_h2h_BIAS"), hidden)),
            2,
            8L * hidden);
    LstmOutputs lstm =
        b.lstm(
            sequence,
            LstmSpec.builder()
                .hiddenSize(hidden)
                .direction(LstmDirection.BIDIRECTIONAL)
                .inputWeights(w)
                .recurrentWeights(r)
                .bias(bias)
                .sequenceLengths(b.cast(lengths, ElementType.INT32))
                .build());
    String pooled = b.maskedMeanOverTime(lstm.sequence(), lengths);
    String x = projection(b, tower.projection(), pooled, 2 * hidden, config.embeddingDim());
    b.output(
        EMBEDDING,
        b.l2Normalize(x, 1),
        ElementType.FLOAT,
        Dim.batch(),
        Dim.of(config.embeddingDim()));
    return b.build();
  }

  private static String projection(
      OnnxGraphBuilder b, Block linear, String x, int inputs, int outputs) {
    String name = b.initializer("projection.weight", values(linear, "weight"), outputs, inputs);
    String bias = b.initializer("projection.bias", values(linear, "bias"), outputs);
    return b.gemm(x, name, bias, true);
  }

  /** The values of the block's direct parameter {@code name}, row-major. */
  private static float[] values(Block block, String name) {
    List<String> names = block.getDirectParameters().keys();
    if (!names.contains(name)) {
      throw new IllegalStateException(
          "export: block "
              + block.getClass().getSimpleName()
              + " has no parameter '"
              + name
              + "', only "
              + names);
    }
    return floats(block.getDirectParameters().get(name));
  }

  private static float[] floats(Parameter parameter) {
    NDArray array = parameter.getArray();
    return array.toFloatArray();
  }
}
