package io.mmsearch.solr;

import io.mmsearch.encoders.EncoderEngine;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.bundle.ModelBundle;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real ONNX Runtime engine, counting the images and texts it encodes (JVM-wide, so across all
 * nodes of an in-JVM test cluster). Selected with {@code -Dmmsearch.engine=counting}.
 */
public final class CountingEncoderEngine implements EncoderEngine {
  public static final String NAME = "counting";
  public static final AtomicLong IMAGES = new AtomicLong();
  public static final AtomicLong TEXTS = new AtomicLong();

  @Override
  public String name() {
    return NAME;
  }

  private static EncoderEngine real() {
    return Encoders.engine(Encoders.DEFAULT_ENGINE);
  }

  @Override
  public ImageEncoder newImageEncoder(ModelBundle bundle, EngineOptions options)
      throws IOException {
    ImageEncoder real = real().newImageEncoder(bundle, options);
    return new ImageEncoder() {
      @Override
      public int dimension() {
        return real.dimension();
      }

      @Override
      public float[] encode(byte[] imageBytes, String itemName) {
        IMAGES.incrementAndGet();
        return real.encode(imageBytes, itemName);
      }

      @Override
      public List<EncodingResult> encodeEach(List<byte[]> images, List<String> itemNames) {
        IMAGES.addAndGet(images.size());
        return real.encodeEach(images, itemNames);
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }

  @Override
  public TextEncoder newTextEncoder(ModelBundle bundle, EngineOptions options) throws IOException {
    TextEncoder real = real().newTextEncoder(bundle, options);
    return new TextEncoder() {
      @Override
      public int dimension() {
        return real.dimension();
      }

      @Override
      public float[] encode(String text) {
        TEXTS.incrementAndGet();
        return real.encode(text);
      }

      @Override
      public List<EncodingResult> encodeEach(List<String> texts) {
        TEXTS.addAndGet(texts.size());
        return real.encodeEach(texts);
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }
}
