package io.mmsearch.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.training.BagOfWordsFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFeatureCacheTest {

  @TempDir Path dir;

  @Test
  void reopenedCacheServesTheSameFeaturesWithoutTheBackbone() throws IOException {
    BagOfWordsFeatures first = new BagOfWordsFeatures(8);
    List<EncodingResult> computed =
        TextFeatureCache.open(first, dir).featuresEach(List.of("cat face", "dog", "cat face"));
    assertEquals(2, first.computed(), "a text repeated in one call is computed once");

    BagOfWordsFeatures second = new BagOfWordsFeatures(8);
    List<EncodingResult> cached =
        TextFeatureCache.open(second, dir).featuresEach(List.of("dog", "cat face"));
    assertEquals(0, second.computed());
    assertArrayEquals(computed.get(1).vector(), cached.get(0).vector());
    assertArrayEquals(computed.get(0).vector(), cached.get(1).vector());
  }

  @Test
  void aTextThatFailsKeepsFailingWithItsReasonAndIsNotCached() throws IOException {
    BagOfWordsFeatures backbone = new BagOfWordsFeatures(8);
    TextFeatureCache cache = TextFeatureCache.open(backbone, dir);
    List<EncodingResult> out = cache.featuresEach(List.of("ok", "!!!"));
    assertTrue(out.get(0).ok());
    assertFalse(out.get(1).ok());
    assertTrue(out.get(1).error().getMessage().contains("!!!"), out.get(1).error().getMessage());
    cache.featuresEach(List.of("!!!"));
    assertEquals(3, backbone.computed());
    assertEquals(1, cache.size());
  }

  @Test
  void anAppendCutShortByACrashLosesOnlyTheUnfinishedRecord() throws IOException {
    TextFeatureCache.open(new BagOfWordsFeatures(8), dir).featuresEach(List.of("one", "two"));
    Path file;
    try (var files = Files.walk(dir)) {
      file = files.filter(p -> p.endsWith("features.bin")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));

    BagOfWordsFeatures again = new BagOfWordsFeatures(8);
    TextFeatureCache reopened = TextFeatureCache.open(again, dir);
    assertEquals(1, reopened.size());
    reopened.featuresEach(List.of("one", "two"));
    assertEquals(1, again.computed());
    assertEquals(2, TextFeatureCache.open(new BagOfWordsFeatures(8), dir).size());
  }

  @Test
  void featuresOfAnotherBackboneLiveInAnotherFolder() throws IOException {
    TextFeatureCache.open(new BagOfWordsFeatures(8), dir).featuresEach(List.of("x"));
    BagOfWordsFeatures wider = new BagOfWordsFeatures(16);
    TextFeatureCache.open(wider, dir).featuresEach(List.of("x"));
    assertEquals(1, wider.computed());
    try (var folders = Files.list(dir)) {
      assertEquals(2, folders.count());
    }
  }

  @Test
  void aFileOfAnotherDimensionIsRefusedNamingIt() throws IOException {
    BagOfWordsFeatures eight = new BagOfWordsFeatures(8);
    TextFeatureCache.open(eight, dir).featuresEach(List.of("x"));
    Path folder;
    try (var folders = Files.list(dir)) {
      folder = folders.findFirst().orElseThrow();
    }
    TextFeatureSource liar =
        new TextFeatureSource() {
          @Override
          public String cacheKey() {
            return eight.cacheKey();
          }

          @Override
          public String backboneSha256() {
            return eight.backboneSha256();
          }

          @Override
          public int dimension() {
            return 9;
          }

          @Override
          public List<EncodingResult> featuresEach(List<String> texts) {
            throw new AssertionError();
          }
        };
    IOException e = assertThrows(IOException.class, () -> TextFeatureCache.open(liar, dir));
    assertTrue(e.getMessage().contains(folder.getFileName().toString()), e.getMessage());
  }
}
