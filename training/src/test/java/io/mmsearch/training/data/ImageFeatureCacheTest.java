package io.mmsearch.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.training.CellMeanFeatures;
import io.mmsearch.training.SyntheticShapes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFeatureCacheTest {

  private static final int SIZE = 32;

  @TempDir Path dir;
  private Path cacheRoot;
  private List<Path> images;
  private final Augmentation augmentation = Augmentation.styleRobust();

  @BeforeEach
  void images() throws IOException {
    cacheRoot = dir.resolve("cache");
    images =
        List.of(
            SyntheticShapes.writePng(dir.resolve("a.png"), "red", "circle", "blue", 48),
            SyntheticShapes.writePng(dir.resolve("b.png"), "green", "square", "white", 48),
            SyntheticShapes.writePng(dir.resolve("c.png"), "yellow", "triangle", "black", 48));
  }

  private List<ImageFeatureCache.Views> views(
      CellMeanFeatures source, int views, Augmentation aug, long seed) throws IOException {
    ImageFeatureCache cache = ImageFeatureCache.open(source, cacheRoot);
    return cache.views(
        images, views, new ImageAugmenter(aug, source.preprocessor().spec()), aug.toString(), seed);
  }

  @Test
  void aRerunReadsEveryViewFromDiskWithoutTheBackbone() throws IOException {
    CellMeanFeatures first = new CellMeanFeatures(SIZE, 2, 8, "v1");
    List<ImageFeatureCache.Views> computed = views(first, 3, augmentation, 5);
    assertEquals(9, first.computed(), "3 images x 3 views");
    CellMeanFeatures second = new CellMeanFeatures(SIZE, 2, 8, "v1");
    List<ImageFeatureCache.Views> cached = views(second, 3, augmentation, 5);
    assertEquals(0, second.computed());
    for (int i = 0; i < 3; i++) {
      for (int v = 0; v < 3; v++) {
        assertArrayEquals(computed.get(i).features()[v], cached.get(i).features()[v]);
      }
    }
  }

  @Test
  void augmentedViewsDifferFromTheCleanOneAndFromEachOther() throws IOException {
    ImageFeatureCache.Views v =
        views(new CellMeanFeatures(SIZE, 2, 8, "v1"), 3, augmentation, 5).get(0);
    assertFalse(Arrays.equals(v.features()[0], v.features()[1]));
    assertFalse(Arrays.equals(v.features()[1], v.features()[2]));
  }

  @Test
  void anotherBackboneKeyMissesEverything() throws IOException {
    views(new CellMeanFeatures(SIZE, 2, 8, "v1"), 2, augmentation, 5);
    CellMeanFeatures other = new CellMeanFeatures(SIZE, 2, 8, "v2");
    views(other, 2, augmentation, 5);
    assertEquals(6, other.computed());
  }

  @Test
  void anotherAugmentationSeedRecomputesOnlyTheAugmentedViews() throws IOException {
    views(new CellMeanFeatures(SIZE, 2, 8, "v1"), 2, augmentation, 5);
    CellMeanFeatures again = new CellMeanFeatures(SIZE, 2, 8, "v1");
    views(again, 2, augmentation, 6);
    assertEquals(3, again.computed(), "the clean views do not depend on the seed");
  }

  @Test
  void otherAugmentationSettingsRecomputeTheAugmentedViews() throws IOException {
    views(new CellMeanFeatures(SIZE, 2, 8, "v1"), 2, augmentation, 5);
    CellMeanFeatures again = new CellMeanFeatures(SIZE, 2, 8, "v1");
    views(again, 2, Augmentation.defaults(), 5);
    assertEquals(3, again.computed());
  }

  @Test
  void aChangedImageFileMissesAndTheSameBytesUnderAnotherNameHit() throws IOException {
    views(new CellMeanFeatures(SIZE, 2, 8, "v1"), 1, augmentation, 5);
    SyntheticShapes.writePng(images.get(0), "purple", "circle", "blue", 48);
    Files.copy(images.get(1), dir.resolve("b-copy.png"));
    images = List.of(images.get(0), dir.resolve("b-copy.png"), images.get(2));
    CellMeanFeatures again = new CellMeanFeatures(SIZE, 2, 8, "v1");
    views(again, 1, augmentation, 5);
    assertEquals(1, again.computed(), "only the changed image");
  }

  @Test
  void aCorruptEntryIsRefusedAndRecomputed() throws IOException {
    List<ImageFeatureCache.Views> original =
        views(new CellMeanFeatures(SIZE, 2, 8, "v1"), 2, augmentation, 5);
    Path file = featuresFile();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      int recordLength = 4 + 32 + 4 + 2 * 12 + 4;
      long inSecondRecord = recordLength + 4 + 32 + 4 + 6; // a feature of the second record
      raf.seek(inSecondRecord);
      int b = raf.read();
      raf.seek(inSecondRecord);
      raf.write(b ^ 0x5a);
    }
    CellMeanFeatures again = new CellMeanFeatures(SIZE, 2, 8, "v1");
    ImageFeatureCache reopened = ImageFeatureCache.open(again, cacheRoot);
    assertEquals(1, reopened.refusedOnLoad());
    List<ImageFeatureCache.Views> recovered =
        reopened.views(
            images,
            2,
            new ImageAugmenter(augmentation, again.preprocessor().spec()),
            augmentation.toString(),
            5);
    assertEquals(1, again.computed(), "only the corrupt entry");
    for (int i = 0; i < 3; i++) {
      for (int v = 0; v < 2; v++) {
        assertArrayEquals(original.get(i).features()[v], recovered.get(i).features()[v]);
      }
    }
    CellMeanFeatures third = new CellMeanFeatures(SIZE, 2, 8, "v1");
    views(third, 2, augmentation, 5);
    assertEquals(0, third.computed(), "the recomputed entry was stored");
  }

  @Test
  void aRecordCutShortByACrashIsDroppedAndRecomputed() throws IOException {
    views(new CellMeanFeatures(SIZE, 2, 8, "v1"), 1, augmentation, 5);
    Path file = featuresFile();
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 7));
    CellMeanFeatures again = new CellMeanFeatures(SIZE, 2, 8, "v1");
    views(again, 1, augmentation, 5);
    assertEquals(1, again.computed());
    assertEquals(bytes.length, Files.size(file), "truncated, then the record appended again");
  }

  @Test
  void unusableImagesAreReportedPerItemAndTheOthersStillGetFeatures() throws IOException {
    Path missing = dir.resolve("missing.png");
    Path folder = Files.createDirectories(dir.resolve("a-folder.png"));
    Path tiny = SyntheticShapes.writePng(dir.resolve("tiny.png"), "red", "circle", "blue", 6);
    Path notAnImage = Files.writeString(dir.resolve("text.png"), "not a picture");
    images = List.of(missing, images.get(0), folder, tiny, notAnImage);
    CellMeanFeatures source = new CellMeanFeatures(SIZE, 2, 8, "v1");
    List<ImageFeatureCache.Views> out = views(source, 2, augmentation, 5);
    assertFalse(out.get(0).ok());
    assertTrue(
        out.get(0).problem().contains("missing") && out.get(0).problem().contains("missing.png"),
        out.get(0).problem());
    assertTrue(out.get(1).ok());
    assertTrue(out.get(2).problem().contains("not a regular file"), out.get(2).problem());
    assertTrue(
        out.get(3).problem().contains("6x6 px, smaller than the 8 px")
            && out.get(3).problem().contains("tiny.png"),
        out.get(3).problem());
    assertTrue(
        out.get(4).problem().contains("not an image") && out.get(4).problem().contains("text.png"),
        out.get(4).problem());
    assertEquals(2, source.computed());
  }

  @Test
  void featuresAreStoredAsHalfFloatsCloseToTheBackbonesOutput() throws IOException {
    CellMeanFeatures source = new CellMeanFeatures(SIZE, 2, 8, "v1");
    short[] half = views(source, 1, augmentation, 5).get(0).features()[0];
    float[] exact =
        source.features(
            new io.mmsearch.encoders.image.ImagePreprocessor(source.preprocessor().spec())
                .preprocess(Files.readAllBytes(images.get(0)), "a.png"),
            1);
    float[] restored = new float[half.length];
    ImageFeatureCache.toFloats(half, restored, 0);
    for (int i = 0; i < exact.length; i++) {
      assertEquals(exact[i], restored[i], Math.abs(exact[i]) * 1e-3 + 1e-4);
    }
    assertNotEquals(0, exact[0]);
  }

  private Path featuresFile() throws IOException {
    try (var files = Files.walk(cacheRoot)) {
      return files.filter(p -> p.endsWith("features.bin")).findFirst().orElseThrow();
    }
  }
}
