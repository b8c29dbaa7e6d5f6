package io.mmsearch.encoders;

import io.mmsearch.encoders.bundle.ModelBundle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to open and how: a model bundle, the engine that runs it, and engine options. In the spirit
 * of DJL's {@code Criteria}: the caller names what it wants and {@link Encoders} finds the engine.
 *
 * <pre>{@code
 * EncoderCriteria c = EncoderCriteria.builder()
 *     .bundle(Path.of("models/emoji"))
 *     .engine("onnxruntime")          // the default
 *     .intraOpThreads(2)
 *     .optimizationLevel(OptimizationLevel.ALL)
 *     .build();
 * try (DualEncoder encoders = Encoders.open(c)) { ... }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class EncoderCriteria {
  private final Path bundlePath;
  private final ModelBundle bundle;
  private final String engine;
  private final EngineOptions options;

  private EncoderCriteria(Builder b) {
    if ((b.bundlePath == null) == (b.bundle == null)) {
      throw new IllegalArgumentException("set exactly one of bundle(Path) and bundle(ModelBundle)");
    }
    this.bundlePath = b.bundlePath;
    this.bundle = b.bundle;
    this.engine = Objects.requireNonNull(b.engine, "engine");
    this.options = new EngineOptions(b.intraOpThreads, b.optimizationLevel, b.properties);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The bundle directory to open, or null if an opened {@link #bundle()} was given. */
  public Path bundlePath() {
    return bundlePath;
  }

  /** The already opened bundle, or null if a {@link #bundlePath()} was given. */
  public ModelBundle bundle() {
    return bundle;
  }

  /** The engine name. */
  public String engine() {
    return engine;
  }

  public EngineOptions options() {
    return options;
  }

  @Override
  public String toString() {
    return "EncoderCriteria[bundle="
        + (bundle != null ? bundle.directory() : bundlePath)
        + ", engine="
        + engine
        + ", "
        + options
        + "]";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private Path bundlePath;
    private ModelBundle bundle;
    private String engine = Encoders.DEFAULT_ENGINE;
    private int intraOpThreads;
    private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder() {}

    /** The bundle directory; {@link Encoders} opens and verifies it. */
    public Builder bundle(Path directory) {
      this.bundlePath = Objects.requireNonNull(directory, "directory");
      this.bundle = null;
      return this;
    }

    /** A bundle opened already (saves re-hashing its files when opening several encoders). */
    public Builder bundle(ModelBundle bundle) {
      this.bundle = Objects.requireNonNull(bundle, "bundle");
      this.bundlePath = null;
      return this;
    }

    /** Engine name; default {@value Encoders#DEFAULT_ENGINE}. */
    public Builder engine(String engine) {
      this.engine = engine;
      return this;
    }

    /** Threads one graph call may use; 0 (the default) lets the engine choose. */
    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = threads;
      return this;
    }

    /** Default {@link OptimizationLevel#ALL}. */
    public Builder optimizationLevel(OptimizationLevel level) {
      this.optimizationLevel = level;
      return this;
    }

    /** An engine-specific setting; see the engine's documentation for names. */
    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * @throws IllegalArgumentException if no bundle is set or an option is out of range
     */
    public EncoderCriteria build() {
      return new EncoderCriteria(this);
    }
  }
}
