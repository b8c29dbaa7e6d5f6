package io.mmsearch.encoders;

import io.mmsearch.encoders.bundle.ModelBundle;
import java.io.IOException;

/**
 * Service-provider interface of an inference engine. {@link Encoders} finds engines with {@link
 * java.util.ServiceLoader}: an engine jar lists its implementation in {@code
 * META-INF/services/io.mmsearch.encoders.EncoderEngine}, and this module never names it. ONNX
 * Runtime ({@value Encoders#DEFAULT_ENGINE}) ships here; other modules add more (the training
 * module adds DJL PyTorch).
 *
 * <p>Implementations need a public no-argument constructor, must be thread-safe, and hold no
 * resources themselves: each encoder they create owns its resources and is closed by the caller.
 */
public interface EncoderEngine {

  /** The name users select the engine by in {@link EncoderCriteria.Builder#engine(String)}. */
  String name();

  /**
   * Loads the bundle's image graph.
   *
   * @throws io.mmsearch.encoders.bundle.InvalidBundleException if the graph is unreadable or its
   *     inputs, outputs or dimension do not match the bundle's declaration; the message names the
   *     file and both values
   * @throws IOException if the graph cannot be read
   */
  ImageEncoder newImageEncoder(ModelBundle bundle, EngineOptions options) throws IOException;

  /**
   * Loads the bundle's text graph.
   *
   * @throws io.mmsearch.encoders.bundle.InvalidBundleException as {@link #newImageEncoder}
   * @throws IOException if the graph cannot be read
   */
  TextEncoder newTextEncoder(ModelBundle bundle, EngineOptions options) throws IOException;
}
