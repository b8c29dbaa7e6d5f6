package io.mmsearch.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builds one ONNX graph (default-domain opset {@value OnnxModel#OPSET_VERSION}) node by node and
 * turns it into an {@link OnnxModel}.
 *
 * <p>Every tensor is referred to by its name. {@link #input}, {@link #initializer} and friends
 * return the name they declared; every op method returns the name of the tensor it produces
 * (generated as {@code <op>_<n>}, e.g. {@code relu_3}), so calls chain naturally:
 *
 * <pre>{@code
 * OnnxGraphBuilder g = new OnnxGraphBuilder("image_encoder");
 * String x = g.input("pixels", ElementType.FLOAT, Dim.batch(), Dim.of(3), Dim.of(64), Dim.of(64));
 * String w = g.initializer("conv1.weight", weights, 16, 3, 3, 3);
 * String y = g.relu(g.conv(x, w, g.initializer("conv1.bias", bias, 16), KernelWindow.square(3, 1, 1)));
 * g.output("embedding", g.l2Normalize(g.flatten(g.globalAveragePool(y), 1), 1),
 *     ElementType.FLOAT, Dim.batch(), Dim.of(16));
 * OnnxModel model = g.build();
 * }</pre>
 *
 * <p>Each op checks that its inputs name a graph input, an initializer or an earlier node's output,
 * and throws {@link IllegalArgumentException} naming the op and the missing tensor otherwise, so a
 * wrong name fails at build time rather than inside the runtime. Shapes are not inferred; ONNX
 * Runtime checks them when it loads the model.
 *
 * <p>Not thread-safe; use one builder per graph.
 */
public final class OnnxGraphBuilder {

  /** Epsilon of {@link #l2Normalize}, the same as PyTorch's {@code F.normalize}. */
  public static final float L2_EPSILON = 1e-12f;

  private final String graphName;
  private final List<ValueInfo> inputs = new ArrayList<>();
  private final List<ValueInfo> outputs = new ArrayList<>();
  private final List<Initializer> initializers = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, String> producers = new HashMap<>();
  private final Map<String, long[]> initializerDims = new HashMap<>();
  private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
  private String docString = "";
  private int nextId;

  /** Starts an empty graph called {@code graphName}. */
  public OnnxGraphBuilder(String graphName) {
    this.graphName = requireName(graphName, "graph name");
  }

  // ---------------------------------------------------------------- model-level

  /** Sets the model's human-readable description ({@code ModelProto.doc_string}). */
  public OnnxGraphBuilder docString(String text) {
    this.docString = Objects.requireNonNull(text, "doc string");
    return this;
  }

  /** Adds one {@code metadata_props} entry to the model; a later value for a key replaces it. */
  public OnnxGraphBuilder metadata(String key, String value) {
    metadata.put(requireName(key, "metadata key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  // ---------------------------------------------------------------- inputs, outputs, constants

  /**
   * Declares a graph input.
   *
   * @return {@code name}
   */
  public String input(String name, ElementType type, Dim... shape) {
    declare(name, "graph input");
    inputs.add(new ValueInfo(name, type, List.of(shape)));
    return name;
  }

  /**
   * Declares {@code tensor} as a graph output under its own name.
   *
   * @throws IllegalArgumentException if no input, initializer or node produces {@code tensor}
   */
  public OnnxGraphBuilder output(String tensor, ElementType type, Dim... shape) {
    requireKnown("graph output", tensor);
    for (ValueInfo existing : outputs) {
      if (existing.name().equals(tensor)) {
        throw new IllegalArgumentException("graph output '" + tensor + "' is declared twice");
      }
    }
    outputs.add(new ValueInfo(tensor, type, List.of(shape)));
    return this;
  }

  /**
   * Declares {@code tensor} as a graph output called {@code outputName}, through an Identity node
   * when the names differ.
   */
  public OnnxGraphBuilder output(String outputName, String tensor, ElementType type, Dim... shape) {
    requireKnown("graph output '" + outputName + "'", tensor);
    if (outputName.equals(tensor)) {
      return output(tensor, type, shape);
    }
    declare(outputName, "graph output");
    nodes.add(new Node("Identity", outputName, List.of(tensor), List.of(outputName), List.of()));
    producers.put(outputName, "Identity node");
    return output(outputName, type, shape);
  }

  /**
   * Adds a float32 constant tensor, stored little-endian in {@code raw_data}.
   *
   * @param dims the shape; its element count must equal {@code values.length} (no dims: a scalar)
   * @return {@code name}
   */
  public String initializer(String name, float[] values, long... dims) {
    requireCount(name, values.length, dims);
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return addInitializer(name, ElementType.FLOAT, dims, raw.array());
  }

  /** Adds an int64 constant tensor; see {@link #initializer(String, float[], long...)}. */
  public String initializerInt64(String name, long[] values, long... dims) {
    requireCount(name, values.length, dims);
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    return addInitializer(name, ElementType.INT64, dims, raw.array());
  }

  /** Adds an int32 constant tensor; see {@link #initializer(String, float[], long...)}. */
  public String initializerInt32(String name, int[] values, long... dims) {
    requireCount(name, values.length, dims);
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asIntBuffer().put(values);
    return addInitializer(name, ElementType.INT32, dims, raw.array());
  }

  /** Adds an unnamed 1-D int64 constant (axes, shapes, slice bounds) and returns its name. */
  public String constantInt64(long... values) {
    return initializerInt64(freshName("const"), values, values.length);
  }

  /** Adds an unnamed int64 scalar constant and returns its name. */
  public String scalarInt64(long value) {
    return initializerInt64(freshName("const"), new long[] {value});
  }

  /** Adds an unnamed float32 scalar constant and returns its name. */
  public String scalarFloat(float value) {
    return initializer(freshName("const"), new float[] {value});
  }

  // ---------------------------------------------------------------- convolution network ops

  /**
   * Conv ({@code group = 1}): {@code x [N, C, H, W]}, {@code weight [M, C, kH, kW]}, optional
   * {@code bias [M]} (null for none).
   *
   * @throws IllegalArgumentException if {@code weight} is an initializer whose spatial dims differ
   *     from the window's kernel shape
   */
  public String conv(String x, String weight, String bias, KernelWindow window) {
    return conv(x, weight, bias, window, 1);
  }

  /**
   * Grouped Conv: the {@code C} input channels are split into {@code group} groups, each convolved
   * with its own {@code M / group} filters; {@code weight} is {@code [M, C / group, kH, kW]}. With
   * {@code group = C = M} this is a depthwise convolution (Keras {@code DepthwiseConv2D}, one
   * filter per channel).
   *
   * @throws IllegalArgumentException if {@code group} is not positive, or {@code weight} is an
   *     initializer whose spatial dims differ from the window's kernel shape or whose filter count
   *     is not a multiple of {@code group}
   */
  public String conv(String x, String weight, String bias, KernelWindow window, int group) {
    if (group <= 0) {
      throw new IllegalArgumentException("Conv: group must be positive, got " + group);
    }
    long[] wDims = initializerDims.get(weight);
    if (wDims != null && wDims.length > 0 && wDims[0] % group != 0) {
      throw new IllegalArgumentException(
          "Conv: weight '"
              + weight
              + "' has "
              + wDims[0]
              + " filters, not a multiple of group "
              + group);
    }
    int[] kernel = window.kernelShape();
    if (wDims != null) {
      long[] spatial = Arrays.copyOfRange(wDims, Math.min(2, wDims.length), wDims.length);
      if (!Arrays.equals(spatial, Arrays.stream(kernel).asLongStream().toArray())) {
        throw new IllegalArgumentException(
            "Conv: weight '"
                + weight
                + "' has shape "
                + Arrays.toString(wDims)
                + " but the kernel shape is "
                + Arrays.toString(kernel));
      }
    }
    return op(
        "Conv",
        bias == null ? List.of(x, weight) : List.of(x, weight, bias),
        List.of(
            Attribute.ofInts("kernel_shape", kernel),
            Attribute.ofInts("strides", window.strides()),
            Attribute.ofInts("pads", window.pads()),
            Attribute.ofInts("dilations", window.dilations()),
            Attribute.ofInt("group", group)));
  }

  /**
   * BatchNormalization in inference mode: {@code (x - mean) / sqrt(variance + epsilon) * scale +
   * bias} per channel (axis 1). To remove the node entirely, fold it into the preceding Conv with
   * {@link BatchNormFolding}.
   */
  public String batchNormalization(
      String x, String scale, String bias, String mean, String variance, float epsilon) {
    return op(
        "BatchNormalization",
        List.of(x, scale, bias, mean, variance),
        List.of(Attribute.ofFloat("epsilon", epsilon), Attribute.ofInt("training_mode", 0)));
  }

  /** Relu: {@code max(x, 0)}. */
  public String relu(String x) {
    return op("Relu", List.of(x), List.of());
  }

  /** MaxPool over the given window (dilations other than 1 are written as given). */
  public String maxPool(String x, KernelWindow window) {
    return op(
        "MaxPool",
        List.of(x),
        List.of(
            Attribute.ofInts("kernel_shape", window.kernelShape()),
            Attribute.ofInts("strides", window.strides()),
            Attribute.ofInts("pads", window.pads()),
            Attribute.ofInts("dilations", window.dilations())));
  }

  /**
   * Clip: {@code min(max(x, min), max)} element-wise (opset 11+ form, bounds as scalar inputs).
   * {@code clip(x, 0, 6)} is Keras' {@code ReLU(max_value=6)}, ReLU6.
   */
  public String clip(String x, float min, float max) {
    if (!(min <= max)) {
      throw new IllegalArgumentException("Clip: min " + min + " exceeds max " + max);
    }
    requireKnown("Clip", x);
    return op("Clip", List.of(x, scalarFloat(min), scalarFloat(max)), List.of());
  }

  /**
   * AveragePool over the given window; padded cells are not counted ({@code count_include_pad =
   * 0}), as in Keras and TensorFlow. Dilations other than 1 are refused (ONNX added them to
   * AveragePool only in opset 19).
   */
  public String averagePool(String x, KernelWindow window) {
    for (int d : window.dilations()) {
      if (d != 1) {
        throw new IllegalArgumentException("AveragePool: opset 17 has no dilations, got " + window);
      }
    }
    return op(
        "AveragePool",
        List.of(x),
        List.of(
            Attribute.ofInts("kernel_shape", window.kernelShape()),
            Attribute.ofInts("strides", window.strides()),
            Attribute.ofInts("pads", window.pads()),
            Attribute.ofInt("count_include_pad", 0)));
  }

  /** GlobalAveragePool: {@code [N, C, H, W] -> [N, C, 1, 1]}. */
  public String globalAveragePool(String x) {
    return op("GlobalAveragePool", List.of(x), List.of());
  }

  /** Flatten to 2-D: dims before {@code axis} form the rows, the rest the columns. */
  public String flatten(String x, int axis) {
    return op("Flatten", List.of(x), List.of(Attribute.ofInt("axis", axis)));
  }

  // ---------------------------------------------------------------- linear algebra and arithmetic

  /**
   * Gemm: {@code a * (transB ? b^T : b) + c}; {@code c} may be null. With {@code transB} a PyTorch
   * {@code nn.Linear} weight {@code [out, in]} is used as stored.
   */
  public String gemm(String a, String b, String c, boolean transB) {
    return op(
        "Gemm",
        c == null ? List.of(a, b) : List.of(a, b, c),
        List.of(Attribute.ofInt("transB", transB ? 1 : 0)));
  }

  /** MatMul with numpy semantics (batched, broadcasting). */
  public String matMul(String a, String b) {
    return op("MatMul", List.of(a, b), List.of());
  }

  /** Element-wise Add with numpy broadcasting. */
  public String add(String a, String b) {
    return op("Add", List.of(a, b), List.of());
  }

  /** Element-wise Sub with numpy broadcasting. */
  public String sub(String a, String b) {
    return op("Sub", List.of(a, b), List.of());
  }

  /** Element-wise Mul with numpy broadcasting. */
  public String mul(String a, String b) {
    return op("Mul", List.of(a, b), List.of());
  }

  /** Element-wise Div with numpy broadcasting. */
  public String div(String a, String b) {
    return op("Div", List.of(a, b), List.of());
  }

  /** Element-wise Max with numpy broadcasting. */
  public String max(String a, String b) {
    return op("Max", List.of(a, b), List.of());
  }

  /** Element-wise Gauss error function (opset 13). */
  public String erf(String x) {
    return op("Erf", List.of(x), List.of());
  }

  /**
   * LayerNormalization (opset 17) over the axes from {@code axis} to the last: {@code (x - mean) /
   * sqrt(var + epsilon) * scale + bias}, with the biased variance, as PyTorch's {@code
   * nn.LayerNorm}. {@code scale} and {@code bias} have the shape of the normalised axes; {@code
   * bias} may be null.
   */
  public String layerNormalization(String x, String scale, String bias, int axis, float epsilon) {
    return op(
        "LayerNormalization",
        bias == null ? List.of(x, scale) : List.of(x, scale, bias),
        List.of(Attribute.ofInt("axis", axis), Attribute.ofFloat("epsilon", epsilon)));
  }

  /** Softmax along {@code axis} (opset 13+: over that one axis). */
  public String softmax(String x, int axis) {
    return op("Softmax", List.of(x), List.of(Attribute.ofInt("axis", axis)));
  }

  /** Element-wise {@code a < b} with numpy broadcasting; the result is bool. */
  public String less(String a, String b) {
    return op("Less", List.of(a, b), List.of());
  }

  // ---------------------------------------------------------------- tensor manipulation

  /**
   * Gather along {@code axis}: with {@code data} an embedding table {@code [V, E]}, {@code axis 0}
   * and int64 token ids {@code [N, T]}, the result is {@code [N, T, E]}.
   */
  public String gather(String data, String indices, int axis) {
    return op("Gather", List.of(data, indices), List.of(Attribute.ofInt("axis", axis)));
  }

  /** Concat along {@code axis}. */
  public String concat(int axis, String... tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("Concat needs at least one input");
    }
    return op("Concat", List.of(tensors), List.of(Attribute.ofInt("axis", axis)));
  }

  /** Slice with step 1 on each of {@code axes}; {@code ends} may use {@link Long#MAX_VALUE}. */
  public String slice(String x, long[] starts, long[] ends, long[] axes) {
    long[] steps = new long[axes.length];
    Arrays.fill(steps, 1);
    return slice(x, starts, ends, axes, steps);
  }

  /** Slice (opset 13 style: starts, ends, axes and steps as int64 inputs). */
  public String slice(String x, long[] starts, long[] ends, long[] axes, long[] steps) {
    if (starts.length != ends.length || ends.length != axes.length || axes.length != steps.length) {
      throw new IllegalArgumentException(
          "Slice: starts, ends, axes and steps must have the same length, got "
              + starts.length
              + ", "
              + ends.length
              + ", "
              + axes.length
              + ", "
              + steps.length);
    }
    requireKnown("Slice", x);
    return op(
        "Slice",
        List.of(
            x,
            constantInt64(starts),
            constantInt64(ends),
            constantInt64(axes),
            constantInt64(steps)),
        List.of());
  }

  /**
   * Slice with bounds computed in the graph: {@code starts} and {@code ends} name 1-D int64 tensors
   * with one entry per axis of {@code axes}; step 1.
   */
  public String slice(String x, String starts, String ends, long... axes) {
    requireKnown("Slice", x, starts, ends);
    return op("Slice", List.of(x, starts, ends, constantInt64(axes)), List.of());
  }

  /** Transpose by {@code perm} (output axis i is input axis perm[i]). */
  public String transpose(String x, int... perm) {
    return op("Transpose", List.of(x), List.of(Attribute.ofInts("perm", perm)));
  }

  /** Reshape to {@code shape}; 0 copies the input dim, -1 is inferred. */
  public String reshape(String x, long... shape) {
    requireKnown("Reshape", x);
    return op("Reshape", List.of(x, constantInt64(shape)), List.of());
  }

  /** Squeeze the given size-1 axes (axes as an int64 input, opset 13 style). */
  public String squeeze(String x, long... axes) {
    requireKnown("Squeeze", x);
    return op("Squeeze", List.of(x, constantInt64(axes)), List.of());
  }

  /** Unsqueeze: insert size-1 axes at the given output positions (axes as an int64 input). */
  public String unsqueeze(String x, long... axes) {
    requireKnown("Unsqueeze", x);
    return op("Unsqueeze", List.of(x, constantInt64(axes)), List.of());
  }

  /** Cast to {@code to}. */
  public String cast(String x, ElementType to) {
    return op("Cast", List.of(x), List.of(Attribute.ofInt("to", to.onnxCode())));
  }

  /** Shape of {@code x} as a 1-D int64 tensor. */
  public String shape(String x) {
    return op("Shape", List.of(x), List.of());
  }

  /** Range {@code [start, limit)} by {@code delta}; all three are scalars of one type. */
  public String range(String start, String limit, String delta) {
    return op("Range", List.of(start, limit, delta), List.of());
  }

  /** Identity: a second name for {@code x}. */
  public String identity(String x) {
    return op("Identity", List.of(x), List.of());
  }

  // ---------------------------------------------------------------- reductions

  /** ReduceMean over {@code axes} (attribute form, as in opsets 13-17). */
  public String reduceMean(String x, boolean keepDims, long... axes) {
    return reduceWithAttribute("ReduceMean", x, keepDims, axes);
  }

  /** ReduceMax over {@code axes} (attribute form, as in opsets 13-17). */
  public String reduceMax(String x, boolean keepDims, long... axes) {
    return reduceWithAttribute("ReduceMax", x, keepDims, axes);
  }

  /** ReduceL2 (Euclidean norm) over {@code axes} (attribute form, as in opsets 13-17). */
  public String reduceL2(String x, boolean keepDims, long... axes) {
    return reduceWithAttribute("ReduceL2", x, keepDims, axes);
  }

  /** ReduceSum over {@code axes} (axes as an int64 input since opset 13). */
  public String reduceSum(String x, boolean keepDims, long... axes) {
    requireKnown("ReduceSum", x);
    return op(
        "ReduceSum",
        List.of(x, constantInt64(axes)),
        List.of(Attribute.ofInt("keepdims", keepDims ? 1 : 0)));
  }

  private String reduceWithAttribute(String opType, String x, boolean keepDims, long[] axes) {
    return op(
        opType,
        List.of(x),
        List.of(Attribute.ofInts("axes", axes), Attribute.ofInt("keepdims", keepDims ? 1 : 0)));
  }

  // ---------------------------------------------------------------- recurrent

  /**
   * LSTM (layout 0, default activations sigmoid/tanh/tanh, no peepholes): {@code x [T, N, I]}.
   * Trailing omitted optional inputs are left out of the node.
   */
  public LstmOutputs lstm(String x, LstmSpec spec) {
    List<String> in =
        new ArrayList<>(
            Arrays.asList(
                x,
                spec.inputWeights(),
                spec.recurrentWeights(),
                orEmpty(spec.bias()),
                orEmpty(spec.sequenceLengths()),
                orEmpty(spec.initialHidden()),
                orEmpty(spec.initialCell())));
    while (in.get(in.size() - 1).isEmpty()) {
      in.remove(in.size() - 1);
    }
    requireKnown("LSTM", in.toArray(String[]::new));
    String base = freshName("lstm");
    List<String> out = List.of(base + "_y", base + "_y_h", base + "_y_c");
    for (String o : out) {
      declare(o, "LSTM node");
    }
    nodes.add(
        new Node(
            "LSTM",
            base,
            in,
            out,
            List.of(
                Attribute.ofString("direction", spec.direction().onnxName()),
                Attribute.ofInt("hidden_size", spec.hiddenSize()))));
    return new LstmOutputs(out.get(0), out.get(1), out.get(2));
  }

  // ---------------------------------------------------------------- composites

  /**
   * Divides {@code x} by its Euclidean norm along {@code axis}: {@code x / max(||x||, 1e-12)}, like
   * PyTorch's {@code F.normalize}. Written as ReduceL2 (keepdims) + Max + Div, so an all-zero
   * vector stays zero instead of becoming NaN.
   */
  public String l2Normalize(String x, int axis) {
    String norm = reduceL2(x, true, axis);
    return div(x, max(norm, scalarFloat(L2_EPSILON)));
  }

  /**
   * Adaptive average pooling of {@code x [N, C, H, W]} to {@code [N, C, rows, cols]} for any input
   * height and width (read from the tensor at run time), as PyTorch's {@code adaptive_avg_pool2d}:
   * output cell {@code (i, j)} is the mean of input rows {@code [floor(i*H / rows), ceil((i+1)*H /
   * rows))} and columns {@code [floor(j*W / cols), ceil((j+1)*W / cols))}. When {@code rows}
   * divides {@code H} (and {@code cols} divides {@code W}) the cells tile the input exactly;
   * otherwise neighbouring cells overlap by a row or column, and an input smaller than the grid
   * repeats rows or columns. Written as one Slice and ReduceMean per cell, so its cost is a single
   * pass over the input.
   */
  public String adaptiveAveragePool(String x, int rows, int cols) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException(
          "adaptiveAveragePool: grid must be positive, got " + rows + "x" + cols);
    }
    requireKnown("adaptiveAveragePool", x);
    String shape = shape(x);
    String height = gather(shape, constantInt64(2), 0); // [1]
    String width = gather(shape, constantInt64(3), 0); // [1]
    String[] cells = new String[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        String starts = concat(0, cellStart(height, i, rows), cellStart(width, j, cols));
        String ends = concat(0, cellEnd(height, i, rows), cellEnd(width, j, cols));
        String cell = reduceMean(slice(x, starts, ends, 2, 3), false, 2, 3); // [N, C]
        cells[i * cols + j] = unsqueeze(cell, 2); // [N, C, 1]
      }
    }
    String grid = cells.length == 1 ? cells[0] : concat(2, cells); // [N, C, rows*cols]
    return reshape(grid, 0, 0, rows, cols);
  }

  /** {@code floor(i * size / parts)} as a 1-D int64 tensor (sizes are non-negative). */
  private String cellStart(String size, int i, int parts) {
    return i == 0 ? constantInt64(0) : div(mul(size, constantInt64(i)), constantInt64(parts));
  }

  /** {@code ceil((i + 1) * size / parts)} as a 1-D int64 tensor. */
  private String cellEnd(String size, int i, int parts) {
    if (parts == 1) {
      return size;
    }
    String scaled = mul(size, constantInt64(i + 1L));
    return div(add(scaled, constantInt64(parts - 1L)), constantInt64(parts));
  }

  /**
   * The exact GELU, {@code 0.5 * x * (1 + erf(x / sqrt(2)))}, as PyTorch's {@code nn.GELU()}
   * (approximate='none') computes it. Opset 17 has no Gelu operator (it came in opset 20), so it is
   * written with Erf.
   */
  public String gelu(String x) {
    String inner = erf(div(x, scalarFloat((float) Math.sqrt(2))));
    return mul(mul(x, scalarFloat(0.5f)), add(inner, scalarFloat(1f)));
  }

  /**
   * Mean over the valid time steps of an LSTM's {@link LstmOutputs#sequence() Y}: {@code sequence
   * [T, D, N, H]} float and {@code lengths [N]} (int32 or int64) give {@code [N, D*H]}, each row
   * the average of the steps {@code t < lengths[n]} with the directions concatenated per step
   * (forward first). Padding steps are masked explicitly, so the result does not depend on what the
   * runtime writes there. A length of 0 gives a zero row.
   */
  public String maskedMeanOverTime(String sequence, String lengths) {
    requireKnown("maskedMeanOverTime", sequence, lengths);
    // [T, D, N, H] -> [N, T, D, H] -> [N, T, D*H]
    String batchMajor = reshape(transpose(sequence, 2, 0, 1, 3), 0, 0, -1);
    String steps = gather(shape(sequence), scalarInt64(0), 0);
    String stepIndex = range(scalarInt64(0), steps, scalarInt64(1)); // [T]
    String lengths64 = cast(lengths, ElementType.INT64);
    String valid = less(unsqueeze(stepIndex, 0), unsqueeze(lengths64, 1)); // [N, T]
    String mask = unsqueeze(cast(valid, ElementType.FLOAT), 2); // [N, T, 1]
    String sum = reduceSum(mul(batchMajor, mask), false, 1); // [N, D*H]
    String count = max(cast(lengths64, ElementType.FLOAT), scalarFloat(1f)); // [N]
    return div(sum, unsqueeze(count, 1));
  }

  // ---------------------------------------------------------------- build

  /**
   * Returns the model as built so far. The builder stays usable; later additions do not change the
   * returned model.
   *
   * @throws IllegalStateException if the graph declares no output
   */
  public OnnxModel build() {
    if (outputs.isEmpty()) {
      throw new IllegalStateException("graph '" + graphName + "' declares no output");
    }
    return new OnnxModel(graphName, docString, inputs, outputs, initializers, nodes, metadata);
  }

  // ---------------------------------------------------------------- internals

  private String op(String opType, List<String> in, List<Attribute> attributes) {
    requireKnown(opType, in.toArray(String[]::new));
    String out = freshName(opType.toLowerCase(Locale.ROOT));
    declare(out, opType + " node");
    nodes.add(new Node(opType, out, in, List.of(out), attributes));
    return out;
  }

  private String addInitializer(String name, ElementType type, long[] dims, byte[] raw) {
    declare(name, "initializer");
    initializers.add(new Initializer(name, type, dims.clone(), raw));
    initializerDims.put(name, dims.clone());
    return name;
  }

  private void declare(String name, String what) {
    requireName(name, what + " name");
    String previous = producers.putIfAbsent(name, what);
    if (previous != null) {
      throw new IllegalArgumentException(
          "cannot name the "
              + what
              + " '"
              + name
              + "': the name is already taken by the "
              + previous);
    }
  }

  private void requireKnown(String consumer, String... tensors) {
    for (String tensor : tensors) {
      if (tensor == null) {
        throw new IllegalArgumentException(consumer + ": an input tensor name is null");
      }
      if (!tensor.isEmpty() && !producers.containsKey(tensor)) {
        throw new IllegalArgumentException(
            consumer
                + ": input '"
                + tensor
                + "' is not a graph input, initializer or output of an earlier node");
      }
    }
  }

  private String freshName(String prefix) {
    String name;
    do {
      name = prefix + "_" + nextId++;
    } while (producers.containsKey(name));
    return name;
  }

  private static void requireCount(String name, int count, long[] dims) {
    long expected = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "initializer '" + name + "': negative dimension in " + Arrays.toString(dims));
      }
      expected *= d;
    }
    if (expected != count) {
      throw new IllegalArgumentException(
          "initializer '"
              + name
              + "': shape "
              + Arrays.toString(dims)
              + " holds "
              + expected
              + " values but "
              + count
              + " were given");
    }
  }

  private static String requireName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return name;
  }

  private static String orEmpty(String tensor) {
    return tensor == null ? "" : tensor;
  }
}
