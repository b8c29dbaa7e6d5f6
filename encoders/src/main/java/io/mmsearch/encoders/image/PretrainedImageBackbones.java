package io.mmsearch.encoders.image;

import java.util.List;

/**
 * Pretrained image backbones the build provides, pinned by SHA-256.
 *
 * <p>{@link #MOBILENET_V2_NSFWJS} is the Keras MobileNetV2 (width 1.0) of the npm package {@code
 * nsfwjs@4.4.0} (MIT; ImageNet weights up to block 10, blocks 11 on fine-tuned by nsfwjs; see the
 * project's NOTICE), converted to ONNX by the project's own converter ({@code backbone-converter})
 * when the {@code image-backbone} module is built, and cut after {@code block_16_expand_relu}:
 * {@code block_11_expand_relu} and {@code block_13_expand_relu} averaged on a 2x2 grid plus {@code
 * block_16_expand_relu} averaged globally, 5,568 features. The file {@value #MOBILENET_V2_FILE} is
 * a class-path resource of that module's jar, which the encoders module depends on, so nothing is
 * downloaded at run time.
 */
public final class PretrainedImageBackbones {
  /** The ONNX file (class-path resource at the jar's root). */
  public static final String MOBILENET_V2_FILE = "mobilenet-v2-nsfwjs-4.4.0.onnx";

  /** The descriptor the build writes beside it (name, file, SHA-256, size, taps, ...). */
  public static final String DESCRIPTOR = "mmsearch-image-backbone.properties";

  /**
   * Mean and standard deviation that map 8-bit RGB to [-1, 1], the input range of Keras'
   * MobileNetV2 ImageNet weights ({@code preprocess_input}: {@code x / 127.5 - 1}).
   */
  public static final float[] KERAS_MEAN = {0.5f, 0.5f, 0.5f};

  /** See {@link #KERAS_MEAN}. */
  public static final float[] KERAS_STD = {0.5f, 0.5f, 0.5f};

  /** nsfwjs's MobileNetV2 cut at the 5,568 features described above. */
  public static final ImageBackboneSpec MOBILENET_V2_NSFWJS =
      new ImageBackboneSpec(
          "nsfwjs-4.4.0/mobilenet_v2",
          MOBILENET_V2_FILE,
          "217c812f2df2906a87d873fa88e37f42fb4aa4ab5a6fa2729536e86623f1a4b5",
          5_942_287L,
          "the mmsearch build: the image-backbone module runs npm pack nsfwjs@4.4.0 and converts"
              + " it (./mmsearch builds it; the file "
              + MOBILENET_V2_FILE
              + " is at the root of image-backbone/target/mmsearch-image-backbone-*.jar)",
          "pixels",
          "features",
          5568,
          32);

  private PretrainedImageBackbones() {}

  /** Every backbone this build knows, by {@link ImageBackboneSpec#name()}. */
  public static List<ImageBackboneSpec> known() {
    return List.of(MOBILENET_V2_NSFWJS);
  }

  /** The known backbone called {@code name}, or null. */
  public static ImageBackboneSpec named(String name) {
    for (ImageBackboneSpec s : known()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /**
   * The input spec for {@link #MOBILENET_V2_NSFWJS} at {@code size} pixels: {@link #KERAS_MEAN} and
   * {@link #KERAS_STD}, alpha composited onto white, the shorter side scaled to {@code size} and
   * the centre cut out. (nsfwjs itself feeds [0, 1]: mean 0, std 1; a bundle may declare that
   * instead.)
   */
  public static ImageInputSpec mobileNetV2Input(int size) {
    return new ImageInputSpec(
        size,
        3,
        KERAS_MEAN,
        KERAS_STD,
        ImageInputSpec.ResizePolicy.RESIZE_SHORTER_CENTER_CROP,
        0xFFFFFF);
  }
}
