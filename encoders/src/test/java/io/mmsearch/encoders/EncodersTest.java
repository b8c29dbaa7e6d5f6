package io.mmsearch.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine seam: engines other than ONNX Runtime plug in through META-INF/services without this
 * module naming them. {@link RecordingEngine} is a test double registered that way in the test
 * resources; the real engine is exercised by {@code OnnxRuntimeEngineTest}.
 */
class EncodersTest {
  @TempDir Path dir;

  @Test
  void engineRegisteredThroughServiceLoaderIsFoundByName() {
    assertTrue(
        Encoders.engineNames().contains(RecordingEngine.NAME), Encoders.engineNames().toString());
    assertTrue(Encoders.engineNames().contains(Encoders.DEFAULT_ENGINE));
  }

  @Test
  void criteriaReachTheEngineWithTheOpenedBundleAndOptions() throws IOException {
    ModelBundle written = TinyBundles.write(dir, 5);
    try (DualEncoder enc =
        Encoders.open(
            EncoderCriteria.builder()
                .bundle(dir)
                .engine(RecordingEngine.NAME)
                .intraOpThreads(3)
                .optimizationLevel(OptimizationLevel.BASIC)
                .property("custom.flag", "on")
                .build())) {
      assertEquals(written.fingerprint(), enc.fingerprint());
      EngineOptions seen = RecordingEngine.lastOptions.get();
      assertEquals(3, seen.intraOpThreads());
      assertEquals(OptimizationLevel.BASIC, seen.optimizationLevel());
      assertEquals("on", seen.property("custom.flag", "off"));
      assertEquals(TinyBundles.EMBEDDING, enc.image().dimension());
    }
  }

  @Test
  void anOpenedBundleIsPassedThroughWithoutReopening() throws IOException {
    ModelBundle bundle = TinyBundles.write(dir, 5);
    try (TextEncoder text =
        Encoders.openText(
            EncoderCriteria.builder().bundle(bundle).engine(RecordingEngine.NAME).build())) {
      assertSame(bundle, RecordingEngine.lastBundle.get());
      assertEquals(TinyBundles.EMBEDDING, text.dimension());
    }
  }

  @Test
  void criteriaNeedABundle() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EncoderCriteria.builder().build());
    assertTrue(e.getMessage().contains("bundle"), e.getMessage());
  }

  @Test
  void negativeThreadCountIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> EncoderCriteria.builder().bundle(dir).intraOpThreads(-1).build());
  }

  /** Records what it is asked to open; its encoders return a fixed unit vector. */
  public static final class RecordingEngine implements EncoderEngine {
    static final String NAME = "recording-test-double";
    static final AtomicReference<EngineOptions> lastOptions = new AtomicReference<>();
    static final AtomicReference<ModelBundle> lastBundle = new AtomicReference<>();

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public ImageEncoder newImageEncoder(ModelBundle bundle, EngineOptions options) {
      lastBundle.set(bundle);
      lastOptions.set(options);
      int d = bundle.dimension();
      return new ImageEncoder() {
        @Override
        public int dimension() {
          return d;
        }

        @Override
        public float[] encode(byte[] imageBytes, String itemName) {
          return unit(d);
        }

        @Override
        public List<EncodingResult> encodeEach(List<byte[]> images, List<String> itemNames) {
          return images.stream().map(i -> EncodingResult.of(unit(d))).toList();
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public TextEncoder newTextEncoder(ModelBundle bundle, EngineOptions options) {
      lastBundle.set(bundle);
      lastOptions.set(options);
      int d = bundle.dimension();
      return new TextEncoder() {
        @Override
        public int dimension() {
          return d;
        }

        @Override
        public float[] encode(String text) {
          return unit(d);
        }

        @Override
        public List<EncodingResult> encodeEach(List<String> texts) {
          return texts.stream().map(t -> EncodingResult.of(unit(d))).toList();
        }

        @Override
        public void close() {}
      };
    }

    private static float[] unit(int d) {
      float[] v = new float[d];
      v[0] = 1;
      return v;
    }
  }
}
