package io.mmsearch.training.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.mmsearch.encoders.EncoderEngine;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.ort.ImageFeatureExtractor;
import io.mmsearch.encoders.ort.TextFeatureExtractor;
import io.mmsearch.training.export.BundleExporter;
import io.mmsearch.training.loop.Checkpoint;
import io.mmsearch.training.model.DualEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Encoder engine {@value #NAME}: runs a bundle's weights on DJL's PyTorch engine instead of its
 * ONNX graphs. Only bundles written by {@code mmsearch train} carry those weights (in {@code
 * pytorch/}, with the fingerprint of the bundle they were exported with); any other bundle is
 * refused with a message saying so.
 *
 * <p>{@link EngineOptions#intraOpThreads()} > 0 sets libtorch's intra-op thread count, which is
 * process-wide in libtorch. Registered through {@code META-INF/services}; stateless and
 * thread-safe.
 */
public final class PyTorchEncoderEngine implements EncoderEngine {

  /** The engine name for {@code EncoderCriteria.Builder#engine}. */
  public static final String NAME = "pytorch";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ImageEncoder newImageEncoder(ModelBundle bundle, EngineOptions options)
      throws IOException {
    Loaded loaded = load(bundle, options);
    if (loaded.model.config().hasImageBackbone()) {
      try {
        return new PyTorchHeadImageEncoder(
            loaded.manager, loaded.model, ImageFeatureExtractor.open(bundle, options));
      } catch (IOException | RuntimeException e) {
        loaded.manager.close();
        throw e;
      }
    }
    return new PyTorchImageEncoder(loaded.manager, loaded.model, bundle.imageSpec());
  }

  @Override
  public TextEncoder newTextEncoder(ModelBundle bundle, EngineOptions options) throws IOException {
    Loaded loaded = load(bundle, options);
    if (loaded.model.config().hasBackbone()) {
      try {
        return new PyTorchHeadTextEncoder(
            loaded.manager, loaded.model, TextFeatureExtractor.open(bundle, options));
      } catch (IOException | RuntimeException e) {
        loaded.manager.close();
        throw e;
      }
    }
    return new PyTorchTextEncoder(
        loaded.manager, loaded.model, bundle.textSpec(), bundle.vocabulary());
  }

  private record Loaded(NDManager manager, DualEncoder model) {}

  private static Loaded load(ModelBundle bundle, EngineOptions options) throws IOException {
    Path weights = bundle.directory().resolve(BundleExporter.PYTORCH_DIR);
    if (!Checkpoint.exists(weights)) {
      throw new InvalidBundleException(
          bundle.directory(),
          "the pytorch engine needs the DJL weights that 'mmsearch train' writes into "
              + weights
              + "; this bundle has only ONNX graphs (use the onnxruntime engine)");
    }
    Path fingerprintFile = weights.resolve(BundleExporter.FINGERPRINT_FILE);
    String recorded =
        Files.isRegularFile(fingerprintFile)
            ? Files.readString(fingerprintFile, StandardCharsets.UTF_8).strip()
            : "(none)";
    if (!recorded.equals(bundle.fingerprint())) {
      throw new InvalidBundleException(
          bundle.directory(),
          "the PyTorch weights in "
              + weights
              + " were exported with bundle "
              + recorded
              + " but the bundle is now "
              + bundle.fingerprint()
              + "; its ONNX graphs or vocabulary were replaced");
    }
    Checkpoint checkpoint = Checkpoint.read(weights);
    if (checkpoint.state().architecture().embeddingDim() != bundle.dimension()) {
      throw new InvalidBundleException(
          bundle.directory(),
          "PyTorch weights have dimension "
              + checkpoint.state().architecture().embeddingDim()
              + ", bundle.json declares "
              + bundle.dimension());
    }
    if (options.intraOpThreads() > 0) {
      Engine.getEngine("PyTorch"); // libtorch must be loaded before its thread count is set
      JniUtils.setNumThreads(options.intraOpThreads());
    }
    NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    try {
      return new Loaded(manager, checkpoint.loadModel(manager));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }
}
