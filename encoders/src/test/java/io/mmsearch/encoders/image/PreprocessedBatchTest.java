package io.mmsearch.encoders.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch packs the good images into one tensor and reports the bad ones beside it. */
class PreprocessedBatchTest {
  private final ImagePreprocessor preprocessor = new ImagePreprocessor(ImageInputSpec.defaults());

  @Test
  void oneBadImageDoesNotCostTheOthers() {
    byte[] first = TestImages.encode(TestImages.noise(70, 50, 1), "png");
    byte[] third = TestImages.encode(TestImages.noise(50, 70, 2), "jpeg");
    List<byte[]> files =
        List.of(first, "not a picture".getBytes(StandardCharsets.UTF_8), third, new byte[0]);

    PreprocessedBatch batch =
        preprocessor.preprocessBatch(files, List.of("a.png", "b.jpg", "c.jpg", "d.png"));

    int length = preprocessor.tensorLength();
    assertEquals(2, batch.size());
    assertArrayEquals(new long[] {2, 3, 64, 64}, batch.shape());
    assertEquals(2 * length, batch.tensor().length);
    assertEquals(0, batch.sourceIndex(0));
    assertEquals(2, batch.sourceIndex(1));
    assertArrayEquals(
        preprocessor.preprocess(first, "a.png"), Arrays.copyOfRange(batch.tensor(), 0, length));
    assertArrayEquals(
        preprocessor.preprocess(third, "c.jpg"),
        Arrays.copyOfRange(batch.tensor(), length, 2 * length));
    assertEquals(2, batch.failures().size());
    PreprocessedBatch.ItemFailure text = batch.failures().get(0);
    assertEquals(1, text.index());
    assertEquals("b.jpg", text.itemName());
    assertEquals("not an image (detected text, text/plain)", text.reason());
    assertEquals(
        new PreprocessedBatch.ItemFailure(3, "d.png", "empty file"), batch.failures().get(1));
  }

  @Test
  void batchOfOnlyBadImagesIsEmptyNotAnError() {
    PreprocessedBatch batch =
        preprocessor.preprocessBatch(List.of(new byte[0]), List.of("empty.png"));

    assertEquals(0, batch.size());
    assertEquals(0, batch.tensor().length);
    assertEquals(
        List.of(new PreprocessedBatch.ItemFailure(0, "empty.png", "empty file")), batch.failures());
  }

  @Test
  void namesMustMatchImages() {
    assertThrows(
        IllegalArgumentException.class,
        () -> preprocessor.preprocessBatch(List.of(new byte[0]), List.of()));
  }
}
