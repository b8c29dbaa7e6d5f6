package io.mmsearch.training.data;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.ort.TextFeatureExtractor;
import io.mmsearch.encoders.text.PretrainedBackbones;
import io.mmsearch.encoders.text.TextInputSpec;
import java.io.IOException;
import java.util.List;

/**
 * The frozen backbone's pooled features as the serving pipeline computes them ({@link
 * TextFeatureExtractor}: tokenizer.json, backbone in ONNX Runtime, masked-mean pooling), so a head
 * trains on exactly what it will be fed. Thread-safe; closes the extractor.
 */
public final class BackboneFeatures implements TextFeatureSource, AutoCloseable {

  private final TextFeatureExtractor extractor;
  private final byte[] tokenizerJson;

  private BackboneFeatures(TextFeatureExtractor extractor, byte[] tokenizerJson) {
    this.extractor = extractor;
    this.tokenizerJson = tokenizerJson;
  }

  /**
   * all-MiniLM-L6-v2 from the class path (the build resolves it), texts cut at {@code maxTokens}
   * ids including [CLS] and [SEP].
   */
  public static BackboneFeatures miniLm(int maxTokens) throws IOException {
    return new BackboneFeatures(
        TextFeatureExtractor.miniLm(maxTokens, EngineOptions.defaults()),
        PretrainedBackbones.miniLmTokenizerJson());
  }

  /** The text spec a bundle with a head on these features declares. */
  public TextInputSpec spec() {
    return extractor.spec();
  }

  /** The tokenizer.json a bundle with a head on these features carries. */
  public byte[] tokenizerJson() {
    return tokenizerJson.clone();
  }

  @Override
  public String cacheKey() {
    TextInputSpec spec = extractor.spec();
    return String.join(
        "/",
        spec.backbone().name(),
        spec.backbone().sha256(),
        "pooling=" + spec.backbone().graph().pooling(),
        "tokenizer=" + spec.vocabulary(),
        "max-tokens=" + spec.maxTokens(),
        "lowercase=" + spec.lowercase());
  }

  @Override
  public String backboneSha256() {
    return extractor.backbone().sha256();
  }

  @Override
  public int dimension() {
    return extractor.dimension();
  }

  @Override
  public List<EncodingResult> featuresEach(List<String> texts) {
    return extractor.featuresEach(texts);
  }

  @Override
  public void close() {
    extractor.close();
  }
}
