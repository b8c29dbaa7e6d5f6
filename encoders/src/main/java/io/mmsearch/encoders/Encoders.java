package io.mmsearch.encoders;

import io.mmsearch.encoders.bundle.ModelBundle;
import java.io.IOException;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens encoders for an {@link EncoderCriteria}: opens and verifies the bundle, finds the named
 * {@link EncoderEngine} on the class path, and asks it for the encoders. The caller owns and closes
 * what it gets. Stateless and thread-safe.
 */
public final class Encoders {
  /** The engine used when the criteria name none: ONNX Runtime. */
  public static final String DEFAULT_ENGINE = "onnxruntime";

  private Encoders() {}

  /**
   * Opens both encoders of a bundle.
   *
   * @throws io.mmsearch.encoders.bundle.InvalidBundleException if the bundle or a graph is invalid
   * @throws IllegalArgumentException if no engine of that name is on the class path
   */
  public static DualEncoder open(EncoderCriteria criteria) throws IOException {
    ModelBundle bundle = bundle(criteria);
    EncoderEngine engine = engine(criteria.engine());
    ImageEncoder image = engine.newImageEncoder(bundle, criteria.options());
    try {
      return new DualEncoder(bundle, image, engine.newTextEncoder(bundle, criteria.options()));
    } catch (IOException | RuntimeException e) {
      image.close();
      throw e;
    }
  }

  /** Opens only the image encoder of a bundle; see {@link #open}. */
  public static ImageEncoder openImage(EncoderCriteria criteria) throws IOException {
    return engine(criteria.engine()).newImageEncoder(bundle(criteria), criteria.options());
  }

  /** Opens only the text encoder of a bundle; see {@link #open}. */
  public static TextEncoder openText(EncoderCriteria criteria) throws IOException {
    return engine(criteria.engine()).newTextEncoder(bundle(criteria), criteria.options());
  }

  /** Names of the engines on the class path, sorted. */
  public static Set<String> engineNames() {
    Set<String> names = new TreeSet<>();
    for (EncoderEngine e : ServiceLoader.load(EncoderEngine.class)) {
      names.add(e.name());
    }
    return names;
  }

  /**
   * The engine called {@code name}.
   *
   * @throws IllegalArgumentException naming the engine and listing those available
   */
  public static EncoderEngine engine(String name) {
    for (EncoderEngine e : ServiceLoader.load(EncoderEngine.class)) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "no encoder engine '" + name + "' on the class path; available: " + engineNames());
  }

  private static ModelBundle bundle(EncoderCriteria criteria) throws IOException {
    return criteria.bundle() != null ? criteria.bundle() : ModelBundle.open(criteria.bundlePath());
  }
}
