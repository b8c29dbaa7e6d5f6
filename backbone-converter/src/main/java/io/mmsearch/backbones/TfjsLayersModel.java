package io.mmsearch.backbones;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TF.js layers model (a Keras functional model as TF.js stores it): the layers of {@code
 * modelTopology.model_config} in file order, and every weight of the manifest, dequantized to
 * float32 exactly as TF.js does it ({@code q * scale + min}, computed in double, stored as float).
 *
 * <p>Read from the JS-wrapped files nsfwjs ships ({@code model.min.js}, {@code
 * group1-shard*.min.js}, see {@link JsModuleValue}). Immutable.
 */
public final class TfjsLayersModel {

  /** One layer: its Keras class, its config, and the layers whose outputs it takes, in order. */
  public record Layer(String name, String className, JsonNode config, List<String> inputs) {}

  /** A float32 weight in TF.js's (channels-last) layout, row-major. */
  public record Weight(String name, int[] shape, float[] values) {
    /** The size of axis {@code i}. */
    public int dim(int i) {
      return shape[i];
    }
  }

  private final String source;
  private final List<Layer> layers;
  private final Map<String, Weight> weights;

  private TfjsLayersModel(String source, List<Layer> layers, Map<String, Weight> weights) {
    this.source = source;
    this.layers = List.copyOf(layers);
    this.weights = Map.copyOf(weights);
  }

  /**
   * Reads the model in folder {@code modelFolder} of an npm tarball (e.g. {@code
   * package/dist/models/mobilenet_v2}).
   *
   * @throws IOException if the tarball cannot be read or the files are not a TF.js layers model,
   *     naming the file and what is wrong
   */
  public static TfjsLayersModel read(Path tarball, String modelFolder) throws IOException {
    Map<String, byte[]> files = TarballFiles.read(tarball, modelFolder);
    try {
      return parse(tarball.getFileName() + ":" + modelFolder, files);
    } catch (IllegalArgumentException e) {
      throw new IOException(tarball + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code model.min.js} (or {@code model.json}) and the weight shard files it names, all
   * given by file name.
   *
   * @throws IllegalArgumentException naming the file and what is wrong
   */
  static TfjsLayersModel parse(String source, Map<String, byte[]> files) {
    JsonNode model = modelFile(files);
    JsonNode config = model.path("modelTopology").path("model_config");
    if (!"Model".equals(config.path("class_name").asText())
        && !"Functional".equals(config.path("class_name").asText())) {
      throw new IllegalArgumentException(
          "model topology is a "
              + config.path("class_name").asText("(missing)")
              + ", not a Keras functional Model");
    }
    List<Layer> layers = new ArrayList<>();
    for (JsonNode l : config.path("config").path("layers")) {
      List<String> inputs = new ArrayList<>();
      JsonNode inbound = l.path("inbound_nodes");
      if (inbound.size() > 1) {
        throw new IllegalArgumentException(
            "layer " + l.path("name").asText() + " is called more than once (shared layers)");
      }
      for (JsonNode node : inbound) {
        for (JsonNode in : node) {
          inputs.add(in.get(0).asText());
        }
      }
      layers.add(
          new Layer(
              l.path("name").asText(), l.path("class_name").asText(), l.path("config"), inputs));
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("model topology has no layers");
    }
    Map<String, Weight> weights = new LinkedHashMap<>();
    for (JsonNode group : model.path("weightsManifest")) {
      byte[] data = concatShards(files, group.path("paths"));
      ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonNode spec : group.path("weights")) {
        Weight w = readWeight(spec, buffer);
        weights.put(w.name(), w);
      }
      if (buffer.hasRemaining()) {
        throw new IllegalArgumentException(
            "weight shards "
                + group.path("paths")
                + " hold "
                + buffer.remaining()
                + " bytes more"
                + " than the manifest describes");
      }
    }
    return new TfjsLayersModel(source, layers, weights);
  }

  private static JsonNode modelFile(Map<String, byte[]> files) {
    byte[] js = files.get("model.min.js");
    if (js != null) {
      return JsModuleValue.exported(new String(js, StandardCharsets.UTF_8), "model.min.js");
    }
    byte[] json = files.get("model.json");
    if (json != null) {
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
      } catch (IOException e) {
        throw new IllegalArgumentException("model.json is not JSON: " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException("no model.min.js or model.json among " + files.keySet());
  }

  private static byte[] concatShards(Map<String, byte[]> files, JsonNode paths) {
    List<byte[]> parts = new ArrayList<>();
    int total = 0;
    for (JsonNode p : paths) {
      String path = p.asText();
      byte[] part;
      if (files.containsKey(path + ".min.js")) {
        String js = new String(files.get(path + ".min.js"), StandardCharsets.UTF_8);
        JsonNode value = JsModuleValue.exported(js, path + ".min.js");
        if (!value.isTextual()) {
          throw new IllegalArgumentException(path + ".min.js does not export a base64 string");
        }
        try {
          part = Base64.getDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(path + ".min.js: not base64: " + e.getMessage(), e);
        }
      } else if (files.containsKey(path)) {
        part = files.get(path);
      } else {
        throw new IllegalArgumentException("weight shard " + path + " is missing");
      }
      parts.add(part);
      total = Math.addExact(total, part.length);
    }
    byte[] all = new byte[total];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  private static Weight readWeight(JsonNode spec, ByteBuffer buffer) {
    String name = spec.path("name").asText();
    int[] shape = new int[spec.path("shape").size()];
    int count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = spec.path("shape").get(i).asInt();
      count = Math.multiplyExact(count, shape[i]);
    }
    if (!"float32".equals(spec.path("dtype").asText())) {
      throw new IllegalArgumentException(
          "weight "
              + name
              + " has dtype "
              + spec.path("dtype").asText()
              + "; only float32 is read");
    }
    JsonNode q = spec.get("quantization");
    String stored = q == null ? "float32" : q.path("dtype").asText();
    int width =
        switch (stored) {
          case "float32" -> 4;
          case "uint16" -> 2;
          case "uint8" -> 1;
          default ->
              throw new IllegalArgumentException(
                  "weight " + name + " is quantized as " + stored + "; only uint8/uint16 are read");
        };
    if (buffer.remaining() < (long) count * width) {
      throw new IllegalArgumentException(
          "weight shards end inside weight " + name + " " + Arrays.toString(shape));
    }
    float[] values = new float[count];
    if (q == null) {
      buffer.asFloatBuffer().get(values);
      buffer.position(buffer.position() + 4 * count);
    } else {
      double scale = q.path("scale").asDouble();
      double min = q.path("min").asDouble();
      for (int i = 0; i < count; i++) {
        int v = width == 1 ? buffer.get() & 0xFF : buffer.getShort() & 0xFFFF;
        values[i] = (float) (v * scale + min);
      }
    }
    return new Weight(name, shape, values);
  }

  /** Where the model was read from, for messages. */
  public String source() {
    return source;
  }

  /** The layers in file order (inputs before the layers that use them). */
  public List<Layer> layers() {
    return layers;
  }

  /**
   * The weight called {@code name} (e.g. {@code block_1_expand/kernel}).
   *
   * @throws IllegalArgumentException naming the weight if the model has none of that name
   */
  public Weight weight(String name) {
    Weight w = weights.get(name);
    if (w == null) {
      throw new IllegalArgumentException(source + " has no weight " + name);
    }
    return w;
  }

  @Override
  public String toString() {
    return "TfjsLayersModel[" + source + ", " + layers.size() + " layers]";
  }
}
