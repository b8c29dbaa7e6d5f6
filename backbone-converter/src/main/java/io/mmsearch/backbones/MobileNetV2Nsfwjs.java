package io.mmsearch.backbones;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image backbone the project ships: the Keras MobileNetV2 (width 1.0) inside npm {@code
 * nsfwjs@4.4.0} ({@code dist/models/mobilenet_v2/}, MIT, Infinite Red), converted by {@link
 * TfjsToOnnx} and cut at {@link #SHIPPED_TAPS}. Up to block 10 its weights are ImageNet's (Keras
 * Applications' MobileNetV2); block 11 on were fine-tuned by nsfwjs.
 *
 * <p>The conversion is deterministic, so the SHA-256 of the shipped graph is pinned ({@link
 * #SHIPPED_SHA256}): the build refuses a graph with any other bytes.
 */
public final class MobileNetV2Nsfwjs {
  /** The npm package that carries the model. */
  public static final NpmPackage PACKAGE = NpmPackage.NSFWJS_4_4_0;

  /** The model's folder inside the tarball. */
  public static final String MODEL_FOLDER = "package/dist/models/mobilenet_v2";

  /**
   * The taps of the shipped graph: {@code block_11}/{@code block_13} {@code expand_relu} on a 2x2
   * grid and {@code block_16_expand_relu} pooled globally, 5,568 floats per image.
   */
  public static final List<Tap> SHIPPED_TAPS =
      List.of(
          Tap.grid("block_11_expand_relu", 2),
          Tap.grid("block_13_expand_relu", 2),
          Tap.global("block_16_expand_relu"));

  /** File name of the shipped graph (a class-path resource of the image-backbone jar). */
  public static final String SHIPPED_FILE = "mobilenet-v2-nsfwjs-4.4.0.onnx";

  /** Name bundles use for the shipped graph. */
  public static final String SHIPPED_NAME = "nsfwjs-4.4.0/mobilenet_v2";

  /** SHA-256 of the shipped graph's bytes. */
  public static final String SHIPPED_SHA256 =
      "217c812f2df2906a87d873fa88e37f42fb4aa4ab5a6fa2729536e86623f1a4b5";

  /** The ONNX graph name. */
  static final String GRAPH_NAME = "mobilenet_v2_nsfwjs";

  private MobileNetV2Nsfwjs() {}

  /**
   * Candidate taps for choosing the shipped ones: from block 8 on, each block's {@code expand_relu}
   * and its output ({@code block_N_add}, or {@code block_N_project_BN} where the block has no
   * residual), plus the trunk's last layer {@code out_relu}; each pooled globally and on a 2x2
   * grid. 41,280 floats per image.
   */
  public static List<Tap> candidateTaps() {
    List<Tap> taps = new ArrayList<>();
    for (int block = 8; block <= 16; block++) {
      String output =
          block == 10 || block == 13 || block == 16
              ? "block_" + block + "_project_BN"
              : "block_" + block + "_add";
      for (String layer : List.of("block_" + block + "_expand_relu", output)) {
        taps.add(Tap.global(layer));
        taps.add(Tap.grid(layer, 2));
      }
    }
    taps.add(Tap.global("out_relu"));
    taps.add(Tap.grid("out_relu", 2));
    return taps;
  }

  /** Reads the TF.js model out of a verified tarball of {@link #PACKAGE}. */
  public static TfjsLayersModel read(Path tarball) throws IOException {
    NpmTarball.verify(tarball, PACKAGE);
    return TfjsLayersModel.read(tarball, MODEL_FOLDER);
  }

  /** Fetches (or finds in {@code npmCache}) the tarball and reads the model. */
  public static TfjsLayersModel fetch(Path npmCache) throws IOException {
    return TfjsLayersModel.read(NpmTarball.fetch(PACKAGE, npmCache), MODEL_FOLDER);
  }

  /** Converts {@code model} cut at {@code taps}. */
  public static ConvertedBackbone convert(TfjsLayersModel model, List<Tap> taps) {
    return TfjsToOnnx.convert(
        model,
        taps,
        GRAPH_NAME,
        "Keras MobileNetV2 (width 1.0) from npm "
            + PACKAGE.spec()
            + " "
            + MODEL_FOLDER
            + " ("
            + PACKAGE.integrity()
            + "), converted by mmsearch; input RGB NCHW, taps "
            + taps);
  }

  /**
   * Converts {@link #SHIPPED_TAPS} and checks the result against {@link #SHIPPED_SHA256}.
   *
   * @throws PinnedHashException if the bytes differ
   */
  public static ConvertedBackbone shipped(TfjsLayersModel model) throws PinnedHashException {
    ConvertedBackbone converted = convert(model, SHIPPED_TAPS);
    PinnedHashException.check(SHIPPED_FILE, converted, SHIPPED_SHA256);
    return converted;
  }
}
