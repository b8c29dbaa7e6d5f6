package io.mmsearch.backbones;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mmsearch.backbones.TfjsLayersModel.Layer;
import io.mmsearch.backbones.TfjsLayersModel.Weight;
import io.mmsearch.onnx.BatchNormFolding;
import io.mmsearch.onnx.Dim;
import io.mmsearch.onnx.ElementType;
import io.mmsearch.onnx.KernelWindow;
import io.mmsearch.onnx.OnnxGraphBuilder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Converts a TF.js layers model (Keras, channels-last) into an ONNX graph (channels-first) that
 * outputs the chosen {@link Tap taps}, pooled and concatenated into one {@value #OUTPUT} row per
 * image. Only the layers the taps need are converted, so a graph cut at {@code
 * block_16_expand_relu} does not compute the rest of the network.
 *
 * <p>Height and width are dynamic: the graph accepts any input of at least {@link
 * ConvertedBackbone#minSize()} pixels a side (TF.js's own model is fixed at the size it was
 * exported with; every layer here computes what TF.js computes at that size). Each
 * BatchNormalization that follows a convolution is folded into its weights; {@code ZeroPadding2D}
 * becomes the next convolution's pads; {@code ReLU(max_value=6)} becomes {@code Clip(0, 6)}, which
 * ONNX Runtime fuses into the convolution.
 *
 * <p>Layers: InputLayer, ZeroPadding2D, Conv2D, DepthwiseConv2D, BatchNormalization, ReLU,
 * Activation, Add, AveragePooling2D, GlobalAveragePooling2D, Flatten, Dense, Dropout. Anything else
 * on the way to a tap is an error naming the layer. Stateless.
 */
public final class TfjsToOnnx {
  /** The graph input: RGB pixels, {@code [batch, 3, height, width]} float32. */
  public static final String INPUT = "pixels";

  /** The graph output: the taps' pooled features, concatenated, {@code [batch, dimension]}. */
  public static final String OUTPUT = "features";

  /** Model metadata key holding the tap layout as JSON. */
  public static final String LAYOUT_METADATA = "mmsearch.backbone.layout";

  /** Model metadata key holding the smallest input side the graph accepts. */
  public static final String MIN_SIZE_METADATA = "mmsearch.backbone.min_size";

  private static final int LARGEST_SIZE_TRIED = 4096;

  private TfjsToOnnx() {}

  /**
   * Converts {@code model} cut at {@code taps}.
   *
   * @param graphName the ONNX graph name
   * @param description the model's doc string (where it came from)
   * @throws IllegalArgumentException naming the tap or layer if a tap names no layer, pools a layer
   *     that is not a feature map (or does not pool one that is), or a layer on the way is not
   *     supported
   */
  public static ConvertedBackbone convert(
      TfjsLayersModel model, List<Tap> taps, String graphName, String description) {
    if (taps.isEmpty()) {
      throw new IllegalArgumentException("no taps given");
    }
    if (new HashSet<>(taps).size() != taps.size()) {
      throw new IllegalArgumentException("a tap is listed twice: " + taps);
    }
    return new Conversion(model, graphName).run(taps, description);
  }

  /** The output of one converted layer. */
  private record Value(
      String tensor, int channels, boolean spatial, int[] pendingPads, IntUnaryOperator size) {
    Value withPads(int[] pads) {
      return new Value(tensor, channels, spatial, pads, size);
    }
  }

  private static final class Conversion {
    private final TfjsLayersModel model;
    private final Map<String, Layer> byName = new HashMap<>();
    private final Map<String, List<String>> consumers = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();

    /** Layers whose output was folded away (a Conv into its BatchNormalization). */
    private final Map<String, String> foldedInto = new HashMap<>();

    private final OnnxGraphBuilder g;

    Conversion(TfjsLayersModel model, String graphName) {
      this.model = model;
      this.g = new OnnxGraphBuilder(graphName);
      for (Layer l : model.layers()) {
        byName.put(l.name(), l);
        for (String in : l.inputs()) {
          consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(l.name());
        }
      }
    }

    ConvertedBackbone run(List<Tap> taps, String description) {
      Set<String> needed = needed(taps);
      for (Layer l : model.layers()) {
        if (needed.contains(l.name()) && !values.containsKey(l.name())) {
          convertLayer(l);
        }
      }
      List<ConvertedBackbone.Slice> layout = new ArrayList<>();
      List<String> pooled = new ArrayList<>();
      int offset = 0;
      for (Tap tap : taps) {
        Value v = valueOf(tap.layer(), "tap " + tap);
        String out = pool(tap, v);
        int width = tap.width(v.channels());
        layout.add(new ConvertedBackbone.Slice(tap, offset, width));
        pooled.add(out);
        offset += width;
      }
      String features =
          pooled.size() == 1 ? pooled.get(0) : g.concat(1, pooled.toArray(String[]::new));
      g.output(OUTPUT, features, ElementType.FLOAT, Dim.batch(), Dim.of(offset));
      int minSize = minSize(taps);
      g.docString(description);
      g.metadata(LAYOUT_METADATA, layoutJson(layout));
      g.metadata(MIN_SIZE_METADATA, Integer.toString(minSize));
      return new ConvertedBackbone(g.build().toByteArray(), layout, offset, minSize);
    }

    /** The tap layers and every layer they depend on. */
    private Set<String> needed(List<Tap> taps) {
      Set<String> needed = new LinkedHashSet<>();
      Deque<String> todo = new ArrayDeque<>();
      for (Tap t : taps) {
        if (!byName.containsKey(t.layer())) {
          throw new IllegalArgumentException(
              "tap " + t + ": " + model.source() + " has no layer " + t.layer());
        }
        todo.add(t.layer());
      }
      while (!todo.isEmpty()) {
        String name = todo.pop();
        if (needed.add(name)) {
          todo.addAll(byName.get(name).inputs());
        }
      }
      return needed;
    }

    private Value valueOf(String layer, String who) {
      String folded = foldedInto.get(layer);
      if (folded != null) {
        throw new IllegalArgumentException(
            who
                + ": the output of "
                + layer
                + " is folded into "
                + folded
                + " and exists only after it; use "
                + folded);
      }
      Value v = values.get(layer);
      if (v == null) {
        throw new IllegalStateException(layer + " was not converted before " + who);
      }
      return v;
    }

    private String pool(Tap tap, Value v) {
      if (v.pendingPads() != null) {
        throw new IllegalArgumentException(
            "tap " + tap + ": a ZeroPadding2D output cannot be tapped");
      }
      if (!v.spatial()) {
        if (tap.grid() != Tap.NONE) {
          throw new IllegalArgumentException(
              "tap " + tap + ": " + tap.layer() + " outputs a vector; tap it without pooling");
        }
        return v.tensor();
      }
      return switch (tap.grid()) {
        case Tap.NONE ->
            throw new IllegalArgumentException(
                "tap "
                    + tap
                    + ": "
                    + tap.layer()
                    + " outputs a feature map; say how to pool it (:global or :2x2)");
        case Tap.GLOBAL -> g.flatten(g.globalAveragePool(v.tensor()), 1);
        default -> g.flatten(g.adaptiveAveragePool(v.tensor(), tap.grid(), tap.grid()), 1);
      };
    }

    private void convertLayer(Layer l) {
      JsonNode c = l.config();
      switch (l.className()) {
        case "InputLayer" -> input(l);
        case "ZeroPadding2D" -> {
          Value in = single(l);
          int[] pads = zeroPadding(l, c.path("padding"));
          int[] before = in.pendingPads() == null ? new int[4] : in.pendingPads();
          int[] sum = new int[4];
          for (int i = 0; i < 4; i++) {
            sum[i] = before[i] + pads[i];
          }
          // The pads are applied by the convolution that follows (and counted in its size).
          values.put(l.name(), in.withPads(sum));
        }
        case "Conv2D", "DepthwiseConv2D" -> convolution(l);
        case "BatchNormalization" -> batchNormalization(l);
        case "ReLU" -> {
          Value in = single(l);
          if (c.path("threshold").asDouble(0) != 0 || c.path("negative_slope").asDouble(0) != 0) {
            throw unsupported(l, "ReLU with a threshold or negative slope");
          }
          JsonNode max = c.get("max_value");
          String out =
              max == null || max.isNull()
                  ? g.relu(in.tensor())
                  : g.clip(in.tensor(), 0f, (float) max.asDouble());
          put(l, out, in);
        }
        case "Activation" -> {
          Value in = single(l);
          put(l, activation(l, in, c.path("activation").asText()), in);
        }
        case "Add" -> {
          List<Value> ins = inputs(l);
          String sum = ins.get(0).tensor();
          for (int i = 1; i < ins.size(); i++) {
            sum = g.add(sum, ins.get(i).tensor());
          }
          put(l, sum, ins.get(0));
        }
        case "AveragePooling2D" -> {
          Value in = single(l);
          int[] pool = pair(l, c.path("pool_size"));
          int[] strides = c.hasNonNull("strides") ? pair(l, c.path("strides")) : pool;
          if (!"valid".equals(c.path("padding").asText("valid"))) {
            throw unsupported(l, "padding " + c.path("padding").asText());
          }
          String out =
              g.averagePool(in.tensor(), KernelWindow.of(pool, strides, new int[] {0, 0, 0, 0}));
          values.put(
              l.name(),
              new Value(
                  out,
                  in.channels(),
                  true,
                  null,
                  in.size().andThen(h -> window(h, pool[0], strides[0], 0))));
        }
        case "GlobalAveragePooling2D" -> {
          Value in = single(l);
          String out = g.flatten(g.globalAveragePool(in.tensor()), 1);
          values.put(l.name(), new Value(out, in.channels(), false, null, in.size()));
        }
        case "Flatten" -> {
          Value in = single(l);
          // Keras flattens channels-last: move channels last first so the order is Keras'.
          String out =
              in.spatial() ? g.flatten(g.transpose(in.tensor(), 0, 2, 3, 1), 1) : in.tensor();
          // The width is known only for a 1x1 map (the case of a classifier head after pooling);
          // Dense checks its kernel against it at run time.
          values.put(l.name(), new Value(out, in.channels(), false, null, in.size()));
        }
        case "Dense" -> dense(l);
        case "Dropout" -> {
          Value in = single(l);
          values.put(l.name(), in);
        }
        default -> throw unsupported(l, "layer class " + l.className());
      }
    }

    private void input(Layer l) {
      JsonNode shape = l.config().path("batch_input_shape");
      if (shape.size() != 4 || shape.get(3).asInt() != 3) {
        throw unsupported(l, "input shape " + shape + " (expected [batch, height, width, 3])");
      }
      String x =
          g.input(
              INPUT,
              ElementType.FLOAT,
              Dim.batch(),
              Dim.of(3),
              Dim.symbolic("height"),
              Dim.symbolic("width"));
      values.put(l.name(), new Value(x, 3, true, null, h -> h));
    }

    private void convolution(Layer l) {
      JsonNode c = l.config();
      boolean depthwise = l.className().equals("DepthwiseConv2D");
      Value in = single(l);
      if (!"channels_last".equals(c.path("data_format").asText("channels_last"))) {
        throw unsupported(l, "data_format " + c.path("data_format").asText());
      }
      int[] kernel = pair(l, c.path("kernel_size"));
      int[] strides = pair(l, c.path("strides"));
      int[] dilation = c.has("dilation_rate") ? pair(l, c.path("dilation_rate")) : new int[] {1, 1};
      int[] pads = in.pendingPads() == null ? new int[4] : in.pendingPads().clone();
      String padding = c.path("padding").asText();
      if (padding.equals("same")) {
        for (int axis = 0; axis < 2; axis++) {
          int span = dilation[axis] * (kernel[axis] - 1);
          if (strides[axis] != 1 || span % 2 != 0) {
            throw unsupported(
                l, "'same' padding with stride " + strides[axis] + " and kernel " + kernel[axis]);
          }
          pads[axis] += span / 2;
          pads[axis + 2] += span / 2;
        }
      } else if (!padding.equals("valid")) {
        throw unsupported(l, "padding " + padding);
      }
      Weight k = model.weight(l.name() + (depthwise ? "/depthwise_kernel" : "/kernel"));
      int kh = k.dim(0);
      int kw = k.dim(1);
      int cin = k.dim(2);
      int cout = depthwise ? cin * k.dim(3) : k.dim(3);
      if (cin != in.channels() || kh != kernel[0] || kw != kernel[1]) {
        throw unsupported(
            l,
            "kernel shape "
                + java.util.Arrays.toString(k.shape())
                + " for "
                + in.channels()
                + " input channels");
      }
      float[] weight = depthwise ? depthwiseWeights(k) : convWeights(k);
      float[] bias =
          c.path("use_bias").asBoolean(false) ? model.weight(l.name() + "/bias").values() : null;
      String name = l.name();
      String activation = c.path("activation").asText("linear");
      Layer bn = soleConsumer(l, "BatchNormalization");
      if (bn != null && !activation.equals("linear")) {
        throw unsupported(l, "an activation before a BatchNormalization");
      }
      if (bn != null) {
        BatchNormParameters p = batchNormParameters(bn, cout);
        BatchNormFolding.FoldedConv folded =
            BatchNormFolding.fold(weight, bias, p.gamma, p.beta, p.mean, p.variance, p.epsilon);
        weight = folded.weight();
        bias = folded.bias();
        name = bn.name();
      }
      String w = g.initializer(name + "/weight", weight, cout, depthwise ? 1 : cin, kh, kw);
      String b = bias == null ? null : g.initializer(name + "/bias", bias, cout);
      KernelWindow window = KernelWindow.of(kernel, strides, pads, dilation);
      String out = g.conv(in.tensor(), w, b, window, depthwise ? cin : 1);
      int top = pads[0] + pads[2];
      IntUnaryOperator size =
          in.size().andThen(h -> window(h, dilation[0] * (kernel[0] - 1) + 1, strides[0], top));
      Value conv = new Value(out, cout, true, null, size);
      if (bn != null) {
        foldedInto.put(l.name(), bn.name());
        values.put(l.name(), conv);
        values.put(bn.name(), conv);
      } else {
        values.put(l.name(), new Value(activation(l, conv, activation), cout, true, null, size));
      }
    }

    /** {@code [kh, kw, cin, cout]} (TF) to {@code [cout, cin, kh, kw]} (ONNX). */
    private static float[] convWeights(Weight k) {
      int kh = k.dim(0);
      int kw = k.dim(1);
      int cin = k.dim(2);
      int cout = k.dim(3);
      float[] src = k.values();
      float[] out = new float[src.length];
      for (int y = 0; y < kh; y++) {
        for (int x = 0; x < kw; x++) {
          for (int i = 0; i < cin; i++) {
            for (int o = 0; o < cout; o++) {
              out[((o * cin + i) * kh + y) * kw + x] = src[((y * kw + x) * cin + i) * cout + o];
            }
          }
        }
      }
      return out;
    }

    /** {@code [kh, kw, c, mult]} (TF) to {@code [c*mult, 1, kh, kw]} (ONNX, group c). */
    private static float[] depthwiseWeights(Weight k) {
      int kh = k.dim(0);
      int kw = k.dim(1);
      int c = k.dim(2);
      int mult = k.dim(3);
      float[] src = k.values();
      float[] out = new float[src.length];
      for (int y = 0; y < kh; y++) {
        for (int x = 0; x < kw; x++) {
          for (int ch = 0; ch < c; ch++) {
            for (int m = 0; m < mult; m++) {
              out[((ch * mult + m) * kh + y) * kw + x] = src[((y * kw + x) * c + ch) * mult + m];
            }
          }
        }
      }
      return out;
    }

    private record BatchNormParameters(
        float[] gamma, float[] beta, float[] mean, float[] variance, float epsilon) {}

    private BatchNormParameters batchNormParameters(Layer bn, int channels) {
      JsonNode c = bn.config();
      int axis = c.path("axis").asInt(-1);
      if (axis != -1 && axis != 3) {
        throw unsupported(bn, "axis " + axis + " (only the channel axis, -1)");
      }
      float[] gamma = filled(channels, 1f);
      float[] beta = new float[channels];
      if (c.path("scale").asBoolean(true)) {
        gamma = model.weight(bn.name() + "/gamma").values();
      }
      if (c.path("center").asBoolean(true)) {
        beta = model.weight(bn.name() + "/beta").values();
      }
      return new BatchNormParameters(
          gamma,
          beta,
          model.weight(bn.name() + "/moving_mean").values(),
          model.weight(bn.name() + "/moving_variance").values(),
          (float) c.path("epsilon").asDouble(1e-3));
    }

    private void batchNormalization(Layer l) {
      Value in = single(l);
      BatchNormParameters p = batchNormParameters(l, in.channels());
      int n = in.channels();
      String out =
          g.batchNormalization(
              in.tensor(),
              g.initializer(l.name() + "/gamma", p.gamma, n),
              g.initializer(l.name() + "/beta", p.beta, n),
              g.initializer(l.name() + "/moving_mean", p.mean, n),
              g.initializer(l.name() + "/moving_variance", p.variance, n),
              p.epsilon);
      put(l, out, in);
    }

    private void dense(Layer l) {
      Value in = single(l);
      Weight k = model.weight(l.name() + "/kernel");
      int units = k.dim(1);
      String w = g.initializer(l.name() + "/kernel", k.values(), k.dim(0), units);
      String b =
          l.config().path("use_bias").asBoolean(true)
              ? g.initializer(l.name() + "/bias", model.weight(l.name() + "/bias").values(), units)
              : null;
      Value linear = new Value(g.gemm(in.tensor(), w, b, false), units, false, null, in.size());
      String out = activation(l, linear, l.config().path("activation").asText("linear"));
      values.put(l.name(), new Value(out, units, false, null, in.size()));
    }

    private String activation(Layer l, Value v, String name) {
      return switch (name) {
        case "linear" -> v.tensor();
        case "relu" -> g.relu(v.tensor());
        case "relu6" -> g.clip(v.tensor(), 0f, 6f);
        case "softmax" -> {
          if (v.spatial()) {
            throw unsupported(l, "softmax over a feature map");
          }
          yield g.softmax(v.tensor(), 1);
        }
        default -> throw unsupported(l, "activation " + name);
      };
    }

    /** The layer's only consumer if it is of class {@code className}, else null. */
    private Layer soleConsumer(Layer l, String className) {
      List<String> users = consumers.getOrDefault(l.name(), List.of());
      if (users.size() != 1) {
        return null;
      }
      Layer user = byName.get(users.get(0));
      return user.className().equals(className) ? user : null;
    }

    private void put(Layer l, String tensor, Value like) {
      values.put(l.name(), new Value(tensor, like.channels(), like.spatial(), null, like.size()));
    }

    private Value single(Layer l) {
      List<Value> ins = inputs(l);
      if (ins.size() != 1) {
        throw unsupported(l, ins.size() + " inputs");
      }
      return ins.get(0);
    }

    private List<Value> inputs(Layer l) {
      List<Value> ins = new ArrayList<>();
      for (String in : l.inputs()) {
        Value v = values.get(in);
        if (v == null) {
          throw new IllegalArgumentException(
              model.source() + ": layer " + l.name() + " uses " + in + " before it is defined");
        }
        if (v.pendingPads() != null
            && !l.className().endsWith("Conv2D")
            && !l.className().equals("ZeroPadding2D")) {
          throw unsupported(
              l, "input from ZeroPadding2D " + in + " (only a convolution may follow one)");
        }
        ins.add(v);
      }
      if (ins.isEmpty()) {
        throw unsupported(l, "no inputs");
      }
      return ins;
    }

    /** Keras padding {@code ((top, bottom), (left, right))}, or one or two ints, as ONNX pads. */
    private int[] zeroPadding(Layer l, JsonNode p) {
      if (p.isInt()) {
        int v = p.asInt();
        return new int[] {v, v, v, v};
      }
      if (p.size() == 2 && p.get(0).isInt()) {
        int h = p.get(0).asInt();
        int w = p.get(1).asInt();
        return new int[] {h, w, h, w};
      }
      if (p.size() == 2 && p.get(0).size() == 2 && p.get(1).size() == 2) {
        return new int[] {
          p.get(0).get(0).asInt(),
          p.get(1).get(0).asInt(),
          p.get(0).get(1).asInt(),
          p.get(1).get(1).asInt()
        };
      }
      throw unsupported(l, "padding " + p);
    }

    private int[] pair(Layer l, JsonNode n) {
      if (n.isInt()) {
        return new int[] {n.asInt(), n.asInt()};
      }
      if (n.size() != 2 || n.get(0).asInt() <= 0 || n.get(1).asInt() <= 0) {
        throw unsupported(l, "window " + n);
      }
      if (n.get(0).asInt() != n.get(1).asInt()) {
        // Sizes are simulated per axis from the height only; square windows keep that exact.
        throw unsupported(l, "a non-square window " + n);
      }
      return new int[] {n.get(0).asInt(), n.get(1).asInt()};
    }

    private IllegalArgumentException unsupported(Layer l, String what) {
      return new IllegalArgumentException(
          model.source()
              + ": layer "
              + l.name()
              + " ("
              + l.className()
              + ") has "
              + what
              + ", which this converter does not support");
    }

    /** The smallest square input for which every tapped layer has at least one row. */
    private int minSize(List<Tap> taps) {
      for (int h = 1; h <= LARGEST_SIZE_TRIED; h++) {
        boolean ok = true;
        for (Tap t : taps) {
          if (values.get(t.layer()).size().applyAsInt(h) < 1) {
            ok = false;
            break;
          }
        }
        if (ok) {
          return h;
        }
      }
      throw new IllegalArgumentException(
          "taps " + taps + " need inputs above " + LARGEST_SIZE_TRIED + " px");
    }

    private static String layoutJson(List<ConvertedBackbone.Slice> layout) {
      ObjectMapper mapper = new ObjectMapper();
      ArrayNode array = mapper.createArrayNode();
      for (ConvertedBackbone.Slice s : layout) {
        array
            .addObject()
            .put("tap", s.tap().toString())
            .put("offset", s.offset())
            .put("width", s.width());
      }
      return array.toString();
    }
  }

  /**
   * Output length of a window sliding over {@code size} cells with {@code padTotal} padding; below
   * 1 (the window does not fit) propagates as 0.
   */
  static int window(int size, int span, int stride, int padTotal) {
    if (size < 1 || size + padTotal < span) {
      return 0;
    }
    return (size + padTotal - span) / stride + 1;
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
