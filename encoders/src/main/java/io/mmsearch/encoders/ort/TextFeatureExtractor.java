package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.bundle.BackboneFile;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.text.BackboneSpec;
import io.mmsearch.encoders.text.PretrainedBackbones;
import io.mmsearch.encoders.text.SubwordTokenizer;
import io.mmsearch.encoders.text.TextInputSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The frozen backbone's pooled features of texts: tokenizer.json → backbone (ONNX Runtime) →
 * pooling, exactly as a bundle's text encoder computes them before its head. Training uses it to
 * precompute (and cache) the features its projection head trains on; serving runs the same code
 * ({@code SubwordFeatures}), so a head sees identical inputs in both.
 *
 * <pre>{@code
 * try (TextFeatureExtractor fx = TextFeatureExtractor.miniLm(64, EngineOptions.defaults())) {
 *   List<EncodingResult> features = fx.featuresEach(captions); // 384 floats each, or an error
 *   String cacheKey = fx.backbone().sha256() + "/" + fx.spec().maxTokens();
 * }
 * }</pre>
 *
 * <p>Features are not normalised. Thread-safe; the backbone session is shared with every encoder of
 * the JVM that uses the same backbone. The caller closes it.
 */
public final class TextFeatureExtractor implements AutoCloseable {
  /** Rows per backbone run in {@link #featuresEach}: bounds memory, keeps padding small. */
  public static final int BATCH = SubwordFeatures.ROWS_PER_RUN;

  private final TextInputSpec spec;
  private final SubwordTokenizer tokenizer;
  private final SharedBackbones.Lease<TokenGraph> lease;
  private final SubwordFeatures features;

  private TextFeatureExtractor(
      TextInputSpec spec, SubwordTokenizer tokenizer, SharedBackbones.Lease<TokenGraph> lease) {
    this.spec = spec;
    this.tokenizer = tokenizer;
    this.lease = lease;
    this.features = new SubwordFeatures(tokenizer, lease.graph());
  }

  /**
   * The extractor of a bundle whose text spec has a backbone.
   *
   * @throws InvalidBundleException if the bundle has no backbone, or as {@link #open(TextInputSpec,
   *     byte[], Path, EngineOptions)}
   */
  public static TextFeatureExtractor open(ModelBundle bundle, EngineOptions options)
      throws IOException {
    if (bundle.backbone() == null) {
      throw new InvalidBundleException(bundle.directory(), "declares no text.backbone");
    }
    SubwordTokenizer tokenizer =
        SubwordTokenizer.load(
            bundle.vocabularyFile(), bundle.textSpec().maxTokens(), bundle.textSpec().lowercase());
    return open(bundle.directory(), bundle.textSpec(), tokenizer, bundle.backbone(), options);
  }

  /**
   * An extractor before any bundle exists (training).
   *
   * @param spec a {@link TextInputSpec#HUGGINGFACE} spec with a backbone
   * @param tokenizerJson the tokenizer.json the bundle will carry
   * @param searchDir a folder to look for the backbone file in first (e.g. the bundle's future
   *     directory), or null for only the backbone folders and the class path
   * @throws InvalidBundleException if the backbone is missing or altered, or its graph does not
   *     match the spec
   * @throws IOException if the tokenizer.json is invalid
   */
  public static TextFeatureExtractor open(
      TextInputSpec spec, byte[] tokenizerJson, Path searchDir, EngineOptions options)
      throws IOException {
    BackboneSpec backbone = spec.backbone();
    if (backbone == null) {
      throw new IllegalArgumentException("the text spec declares no backbone: " + spec);
    }
    Path dir = searchDir == null ? null : searchDir.toAbsolutePath();
    SubwordTokenizer tokenizer =
        SubwordTokenizer.read(tokenizerJson, "tokenizer.json", spec.maxTokens(), spec.lowercase());
    return open(dir, spec, tokenizer, BackboneFile.locate(dir, backbone), options);
  }

  /**
   * all-MiniLM-L6-v2 with its own tokenizer.json, both from the class path (see {@link
   * PretrainedBackbones}).
   *
   * @param maxTokens longest id sequence, special tokens included (at most {@link
   *     PretrainedBackbones#MINILM_MAX_TOKENS} is what the model was trained with)
   */
  public static TextFeatureExtractor miniLm(int maxTokens, EngineOptions options)
      throws IOException {
    return open(miniLmSpec(maxTokens), PretrainedBackbones.miniLmTokenizerJson(), null, options);
  }

  /**
   * The text spec of a bundle on all-MiniLM-L6-v2: tokenizer {@code tokenizer.json}, no extra
   * lower-casing (its normaliser lower-cases), the MiniLM backbone.
   */
  public static TextInputSpec miniLmSpec(int maxTokens) {
    return TextInputSpec.withBackbone(
        "tokenizer.json", maxTokens, false, PretrainedBackbones.MINILM_L6_V2);
  }

  private static TextFeatureExtractor open(
      Path dir,
      TextInputSpec spec,
      SubwordTokenizer tokenizer,
      BackboneFile backbone,
      EngineOptions options)
      throws IOException {
    try {
      Path where = dir != null ? dir : Path.of(backbone.pin().file());
      return new TextFeatureExtractor(
          spec,
          tokenizer,
          SharedBackbones.acquireText(where, backbone, spec.backbone(), spec.maxTokens(), options));
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** The text spec (tokenizer settings and backbone). */
  public TextInputSpec spec() {
    return spec;
  }

  /** The backbone, whose {@link BackboneSpec#sha256()} identifies the features. */
  public BackboneSpec backbone() {
    return spec.backbone();
  }

  /** Width {@code F} of the features. */
  public int dimension() {
    return spec.backbone().dimension();
  }

  /**
   * Features of one text.
   *
   * @throws EncodingException if the text has no tokens besides the special ones; the message
   *     quotes it
   */
  public float[] features(String text) {
    return features.one(text);
  }

  /**
   * Features of each text, {@value #BATCH} texts per backbone run. A text the tokenizer rejects
   * gets its error in its own slot and never fails the others.
   *
   * @return one result per text, in order; {@link EncodingResult#vector()} holds the features
   */
  public List<EncodingResult> featuresEach(List<String> texts) {
    EncodingException[] errors = new EncodingException[texts.size()];
    float[][] f = features.each(texts, errors);
    List<EncodingResult> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(f[i] != null ? EncodingResult.of(f[i]) : EncodingResult.failed(errors[i]));
    }
    return out;
  }

  /**
   * Features of every text, all or nothing.
   *
   * @throws EncodingException of the first text that fails, naming its index
   */
  public float[][] features(List<String> texts) {
    float[][] out = new float[texts.size()][];
    int i = 0;
    for (EncodingResult r : featuresEach(texts)) {
      out[i++] = r.orThrow();
    }
    return out;
  }

  @Override
  public void close() {
    try {
      lease.close();
    } finally {
      tokenizer.close();
    }
  }

  @Override
  public String toString() {
    return "TextFeatureExtractor[" + spec.backbone().name() + ", " + tokenizer + "]";
  }
}
