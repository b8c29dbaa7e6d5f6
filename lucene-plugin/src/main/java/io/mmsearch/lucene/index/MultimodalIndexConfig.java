package io.mmsearch.lucene.index;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.recall.IndexCalibration;
import io.mmsearch.lucene.schema.DocumentValidator;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.MultimodalCodec;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorValidator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.TieredMergePolicy;

/**
 * Settings of a {@link MultimodalIndexWriter}: the model identity, per-field vector formats, the
 * unit-length tolerance, how the index measures its recall, and an optional hook to tune the
 * underlying {@link IndexWriterConfig}. Immutable; build with {@link #builder(ModelIdentity)}.
 */
public final class MultimodalIndexConfig {
  private final ModelIdentity modelIdentity;
  private final VectorFieldConfig imageVectorConfig;
  private final VectorFieldConfig captionVectorConfig;
  private final float unitTolerance;
  private final int maxStoredBytes;
  private final Consumer<IndexWriterConfig> writerTuning;
  private final IndexCalibration recallCalibration;

  private MultimodalIndexConfig(Builder b) {
    this.modelIdentity = b.modelIdentity;
    this.imageVectorConfig = b.imageVectorConfig;
    this.captionVectorConfig = b.captionVectorConfig;
    this.unitTolerance = b.unitTolerance;
    this.maxStoredBytes = b.maxStoredBytes;
    this.writerTuning = b.writerTuning;
    this.recallCalibration = b.recallCalibration;
  }

  /** A builder for an index of vectors from the given model. */
  public static Builder builder(ModelIdentity modelIdentity) {
    return new Builder(modelIdentity);
  }

  public ModelIdentity modelIdentity() {
    return modelIdentity;
  }

  public VectorFieldConfig imageVectorConfig() {
    return imageVectorConfig;
  }

  public VectorFieldConfig captionVectorConfig() {
    return captionVectorConfig;
  }

  public float unitTolerance() {
    return unitTolerance;
  }

  /** How {@link MultimodalIndexWriter#calibrate} measures the index's recall. */
  public IndexCalibration recallCalibration() {
    return recallCalibration;
  }

  /** The validator for this model's dimension and the configured tolerance. */
  public VectorValidator vectorValidator() {
    return new VectorValidator(modelIdentity.dimension(), unitTolerance);
  }

  /** The validator of whole documents: field limits and vectors (see {@link DocumentValidator}). */
  public DocumentValidator documentValidator() {
    return new DocumentValidator(vectorValidator(), maxStoredBytes);
  }

  /** The codec writing the configured vector formats. */
  public MultimodalCodec codec() {
    return new MultimodalCodec(
        Map.of(
            ImageSchema.IMAGE_VECTOR, imageVectorConfig,
            ImageSchema.CAPTION_VECTOR, captionVectorConfig));
  }

  /**
   * The merge policy a new {@link IndexWriterConfig} starts with: Lucene's {@link
   * TieredMergePolicy} with its defaults.
   */
  public static MergePolicy defaultMergePolicy() {
    return new TieredMergePolicy();
  }

  /**
   * A fresh {@link IndexWriterConfig} with the schema analyzer, the codec, the {@linkplain
   * #defaultMergePolicy() default merge policy} and the tuning hook applied (the hook runs last, so
   * it may override anything, including the codec).
   */
  public IndexWriterConfig newIndexWriterConfig() {
    IndexWriterConfig iwc = new IndexWriterConfig(ImageSchema.newAnalyzer());
    iwc.setCodec(codec());
    iwc.setMergePolicy(defaultMergePolicy());
    iwc.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    writerTuning.accept(iwc);
    return iwc;
  }

  /** Collects settings. Not thread-safe. */
  public static final class Builder {
    private final ModelIdentity modelIdentity;
    private VectorFieldConfig imageVectorConfig = VectorFieldConfig.DEFAULT;
    private VectorFieldConfig captionVectorConfig = VectorFieldConfig.DEFAULT;
    private float unitTolerance = VectorValidator.DEFAULT_UNIT_TOLERANCE;
    private int maxStoredBytes = DocumentValidator.DEFAULT_MAX_STORED_BYTES;
    private Consumer<IndexWriterConfig> writerTuning = iwc -> {};
    private IndexCalibration recallCalibration = IndexCalibration.defaults();

    private Builder(ModelIdentity modelIdentity) {
      this.modelIdentity = Objects.requireNonNull(modelIdentity, "modelIdentity");
    }

    /** Format of {@code image_vec}; default {@link VectorFieldConfig#DEFAULT}. */
    public Builder imageVectorConfig(VectorFieldConfig config) {
      this.imageVectorConfig = Objects.requireNonNull(config);
      return this;
    }

    /** Format of {@code caption_vec}; default {@link VectorFieldConfig#DEFAULT}. */
    public Builder captionVectorConfig(VectorFieldConfig config) {
      this.captionVectorConfig = Objects.requireNonNull(config);
      return this;
    }

    /** Allowed {@code |L2 norm - 1|} of indexed vectors; default 1e-3. */
    public Builder unitTolerance(float tolerance) {
      this.unitTolerance = tolerance;
      return this;
    }

    /**
     * Longest stored text value (a caption, a keyword) in UTF-8 bytes; default {@link
     * DocumentValidator#DEFAULT_MAX_STORED_BYTES}. Longer values reject their document.
     */
    public Builder maxStoredBytes(int maxStoredBytes) {
      this.maxStoredBytes = maxStoredBytes;
      return this;
    }

    /**
     * A hook that adjusts the {@link IndexWriterConfig} (RAM buffer, merge policy, ...). It must
     * not change the analyzer, or text fields become unsearchable.
     */
    public Builder writerTuning(Consumer<IndexWriterConfig> tuning) {
      this.writerTuning = Objects.requireNonNull(tuning);
      return this;
    }

    /**
     * How {@link MultimodalIndexWriter#calibrate} measures recall; default {@link
     * IndexCalibration#defaults()}.
     */
    public Builder recallCalibration(IndexCalibration calibration) {
      this.recallCalibration = Objects.requireNonNull(calibration);
      return this;
    }

    public MultimodalIndexConfig build() {
      // Validates the tolerance and the stored value limit.
      new DocumentValidator(
          new VectorValidator(modelIdentity.dimension(), unitTolerance), maxStoredBytes);
      return new MultimodalIndexConfig(this);
    }
  }
}
