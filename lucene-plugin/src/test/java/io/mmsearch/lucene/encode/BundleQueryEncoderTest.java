package io.mmsearch.lucene.encode;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.bundle.ModelIdentity;
import java.util.List;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The adapter from the encoders module's interfaces, with unit-test doubles of the encoders (the
 * real ONNX encoders are tested in the encoders module).
 */
public class BundleQueryEncoderTest extends LuceneTestCase {
  private static final ModelIdentity MODEL = new ModelIdentity("sha256:bundle", 2);

  public void testDelegatesTextAndImageToTheBundleEncoders() {
    BundleQueryEncoder encoder =
        new BundleQueryEncoder(
            new FixedText(2, new float[] {1, 0}), new FixedImage(2, new float[] {0, 1}), MODEL);
    assertArrayEquals(new float[] {1, 0}, encoder.encodeText("cat"), 0f);
    assertArrayEquals(new float[] {0, 1}, encoder.encodeImage(new byte[] {1, 2, 3}), 0f);
    assertEquals(MODEL, encoder.identity());
  }

  public void testAnEncoderOfAnotherDimensionIsRefused() {
    IllegalArgumentException e =
        expectThrows(
            IllegalArgumentException.class,
            () -> new BundleQueryEncoder(new FixedText(3, new float[3]), null, MODEL));
    assertTrue(e.getMessage(), e.getMessage().contains("text encoder dimension 3"));
  }

  public void testAMissingEncoderSaysWhichOneIsMissing() {
    BundleQueryEncoder textOnly =
        new BundleQueryEncoder(new FixedText(2, new float[] {1, 0}), null, MODEL);
    UnsupportedOperationException e =
        expectThrows(UnsupportedOperationException.class, () -> textOnly.encodeImage(new byte[1]));
    assertTrue(e.getMessage(), e.getMessage().contains("no image encoder"));
  }

  private record FixedText(int dimension, float[] vector) implements TextEncoder {
    @Override
    public float[] encode(String text) {
      return vector.clone();
    }

    @Override
    public List<EncodingResult> encodeEach(List<String> texts) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  private record FixedImage(int dimension, float[] vector) implements ImageEncoder {
    @Override
    public float[] encode(byte[] imageBytes, String itemName) {
      return vector.clone();
    }

    @Override
    public List<EncodingResult> encodeEach(List<byte[]> images, List<String> itemNames) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
