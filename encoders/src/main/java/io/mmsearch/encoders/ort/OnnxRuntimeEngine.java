package io.mmsearch.encoders.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.mmsearch.encoders.EncoderEngine;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.image.ImageBackboneSpec;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.text.SubwordTokenizer;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import io.mmsearch.encoders.text.WordTokenizer;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The ONNX Runtime engine, {@value #NAME}, and the default of {@link
 * io.mmsearch.encoders.Encoders}. Each encoder it creates owns one {@code OrtSession} that all
 * threads share.
 *
 * <p>At load it checks each graph against the bundle contract ({@code docs/bundle-format.md}) and
 * fails with an {@link InvalidBundleException} naming the file and the mismatch:
 *
 * <ul>
 *   <li>{@code image.onnx}: input {@code pixels} (or the declared {@code image.input}) float32
 *       {@code [batch,3,S,S]} with {@code S} the declared image size; output {@code embedding} (or
 *       {@code image.output}) float32 {@code [batch,D]};
 *   <li>{@code text.onnx} of a word bundle: inputs {@code tokens} int64 {@code [batch,T]} with
 *       {@code T} the declared {@code max_tokens}, and {@code lengths} int64 {@code [batch]};
 *       output {@code embedding} float32 {@code [batch,D]};
 *   <li>{@code image.onnx} behind an image backbone ({@code image.backbone}, format 3): the
 *       backbone's input float32 {@code [batch,3,S,S]} (height and width may be dynamic) and output
 *       float32 {@code [batch,F]}, its size not below the image size, its bytes' SHA-256; {@code
 *       image.onnx} is a head with input {@code features} (or {@code image.input}) float32 {@code
 *       [batch,F]} and output {@code embedding} float32 {@code [batch,D]};
 *   <li>a tokenizer.json bundle with a backbone: the backbone's declared token inputs and output,
 *       whose rank must fit the declared pooling, and its bytes' SHA-256 (see {@link
 *       io.mmsearch.encoders.bundle.BackboneFile}); {@code text.onnx} is a head with input {@code
 *       features} float32 {@code [batch,F]} and output {@code embedding} float32 {@code [batch,D]};
 *   <li>a tokenizer.json bundle without one: {@code text.onnx} itself is checked as a token graph
 *       (declared inputs, output and pooling) whose pooled width is {@code D};
 * </ul>
 *
 * where {@code D} is the declared dimension (checked by a one-row probe run if the graph leaves it
 * symbolic) and the batch dimension must be dynamic.
 *
 * <p>Honours {@link EngineOptions#intraOpThreads()} and {@link EngineOptions#optimizationLevel()},
 * plus the properties {@value OrtGraph#INTER_OP_THREADS} (integer), {@value #MAX_PIXELS} (the image
 * decoder's pixel budget, default {@link ImagePreprocessor#DEFAULT_MAX_PIXELS}), and any property
 * starting with {@value OrtGraph#CONFIG_PREFIX}, passed with the prefix removed as an ONNX Runtime
 * session configuration entry (for example {@code ort.config.session.intra_op.allow_spinning=0} to
 * stop idle worker threads from spinning on a shared machine).
 */
public final class OnnxRuntimeEngine implements EncoderEngine {
  /** The engine name. */
  public static final String NAME = "onnxruntime";

  /** Property: largest image (width × height) decoded; larger ones are refused from the header. */
  public static final String MAX_PIXELS = "image.max_pixels";

  /** Public for {@link java.util.ServiceLoader}. */
  public OnnxRuntimeEngine() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ImageEncoder newImageEncoder(ModelBundle bundle, EngineOptions options)
      throws IOException {
    ImageInputSpec spec = bundle.imageSpec();
    ImageBackboneSpec backbone = bundle.imageBackboneSpec();
    ImagePreprocessor preprocessor =
        backbone == null
            ? new ImagePreprocessor(spec)
            : ImageFeatureExtractor.preprocessor(backbone, spec);
    String maxPixels = options.property(MAX_PIXELS, null);
    if (maxPixels != null) {
      preprocessor = preprocessor.withMaxPixels(OrtGraph.integerProperty(MAX_PIXELS, maxPixels));
    }
    if (backbone != null) {
      return newBackboneImageEncoder(bundle, backbone, preprocessor, options);
    }
    int s = spec.size();
    String input = bundle.imageInputName();
    List<TensorContract> inputs =
        List.of(
            new TensorContract(
                input,
                OnnxJavaType.FLOAT,
                new long[] {TensorContract.BATCH, spec.channels(), s, s}));
    OrtGraph graph =
        OrtGraph.load(
            bundle.directory(),
            bundle.imageModelFile(),
            bundle.imageOutputName(),
            options,
            inputs,
            bundle.dimension(),
            env -> probeImage(env, spec, input));
    return new OrtImageEncoder(graph, preprocessor, input);
  }

  /** Pixels -> shared backbone session -> {@code image.onnx} head on its features. */
  private static ImageEncoder newBackboneImageEncoder(
      ModelBundle bundle,
      ImageBackboneSpec backbone,
      ImagePreprocessor preprocessor,
      EngineOptions options)
      throws IOException {
    Path dir = bundle.directory();
    SharedBackbones.Lease<ImageBackboneGraph> lease =
        SharedBackbones.acquireImage(
            dir, bundle.imageBackbone(), backbone, bundle.imageSpec().size(), options);
    try {
      int f = backbone.dimension();
      String input = bundle.imageInputName();
      OrtGraph head =
          OrtGraph.load(
              dir,
              bundle.imageModelFile(),
              bundle.imageOutputName(),
              options,
              List.of(
                  new TensorContract(
                      input, OnnxJavaType.FLOAT, new long[] {TensorContract.BATCH, f})),
              bundle.dimension(),
              env -> probeFeatures(env, input, f));
      return new OrtImageEncoder(head, preprocessor, input, lease.graph(), lease);
    } catch (IOException | RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  @Override
  public TextEncoder newTextEncoder(ModelBundle bundle, EngineOptions options) throws IOException {
    TextInputSpec spec = bundle.textSpec();
    if (TextInputSpec.HUGGINGFACE.equals(spec.tokenizer())) {
      return newSubwordTextEncoder(bundle, options);
    }
    WordTokenizer tokenizer;
    try {
      tokenizer = WordTokenizer.forSpec(spec, bundle.vocabulary());
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(bundle.directory(), e.getMessage(), e);
    }
    List<TensorContract> inputs =
        List.of(
            new TensorContract(
                OrtTextEncoder.TOKENS,
                OnnxJavaType.INT64,
                new long[] {TensorContract.BATCH, spec.maxTokens()}),
            new TensorContract(
                OrtTextEncoder.LENGTHS, OnnxJavaType.INT64, new long[] {TensorContract.BATCH}));
    OrtGraph graph =
        OrtGraph.load(
            bundle.directory(),
            bundle.textModelFile(),
            options,
            inputs,
            bundle.dimension(),
            env -> probeText(env, spec));
    return new OrtTextEncoder(graph, tokenizer);
  }

  private static TextEncoder newSubwordTextEncoder(ModelBundle bundle, EngineOptions options)
      throws IOException {
    TextInputSpec spec = bundle.textSpec();
    Path dir = bundle.directory();
    SubwordTokenizer tokenizer;
    try {
      tokenizer =
          SubwordTokenizer.load(bundle.vocabularyFile(), spec.maxTokens(), spec.lowercase());
    } catch (IOException e) {
      throw new InvalidBundleException(dir, e.getMessage(), e);
    }
    try {
      if (spec.backbone() == null) {
        TokenGraph graph =
            TokenGraph.load(
                dir,
                ModelBundle.TEXT_MODEL,
                Files.readAllBytes(bundle.textModelFile()),
                spec.graph(),
                bundle.dimension(),
                spec.maxTokens(),
                options);
        return new OrtSubwordTextEncoder(tokenizer, graph, graph, null, bundle.dimension());
      }
      SharedBackbones.Lease<TokenGraph> lease =
          SharedBackbones.acquireText(
              dir, bundle.backbone(), spec.backbone(), spec.maxTokens(), options);
      try {
        int f = spec.backbone().dimension();
        OrtGraph head =
            OrtGraph.load(
                dir,
                bundle.textModelFile(),
                options,
                List.of(
                    new TensorContract(
                        TextInputSpec.FEATURES,
                        OnnxJavaType.FLOAT,
                        new long[] {TensorContract.BATCH, f})),
                bundle.dimension(),
                env -> probeFeatures(env, TextInputSpec.FEATURES, f));
        return new OrtSubwordTextEncoder(tokenizer, lease.graph(), lease, head, bundle.dimension());
      } catch (IOException | RuntimeException e) {
        lease.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  private static Map<String, OnnxTensor> probeFeatures(
      OrtEnvironment env, String input, int width) {
    try {
      return Map.of(
          input,
          OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[width]), new long[] {1, width}));
    } catch (OrtException e) {
      throw new IllegalStateException("cannot create a probe tensor", e);
    }
  }

  private static Map<String, OnnxTensor> probeImage(
      OrtEnvironment env, ImageInputSpec spec, String input) {
    int s = spec.size();
    float[] zeros = new float[spec.channels() * s * s];
    try {
      return Map.of(
          input,
          OnnxTensor.createTensor(
              env, FloatBuffer.wrap(zeros), new long[] {1, spec.channels(), s, s}));
    } catch (OrtException e) {
      throw new IllegalStateException("cannot create a probe tensor", e);
    }
  }

  private static Map<String, OnnxTensor> probeText(OrtEnvironment env, TextInputSpec spec) {
    long[] ids = new long[spec.maxTokens()];
    ids[0] = Vocabulary.UNK_ID;
    OnnxTensor tokens = null;
    try {
      tokens = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, spec.maxTokens()});
      OnnxTensor lengths =
          OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {1}), new long[] {1});
      return Map.of(OrtTextEncoder.TOKENS, tokens, OrtTextEncoder.LENGTHS, lengths);
    } catch (OrtException e) {
      if (tokens != null) {
        tokens.close();
      }
      throw new IllegalStateException("cannot create a probe tensor", e);
    }
  }

  @Override
  public String toString() {
    return "OnnxRuntimeEngine";
  }
}
