package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.tools.ingest.EmbeddedMetadata;
import io.mmsearch.tools.ingest.ImageProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageProbeTest {
  private final ImageProbe probe = new ImageProbe();

  @Test
  void detectsTheTypeFromTheBytesNotTheName() throws IOException {
    assertEquals("image/png", probe.detectMediaType(TestImages.pngWithText()));
    assertEquals(
        "text/plain", probe.detectMediaType("hello, world\n".getBytes(StandardCharsets.UTF_8)));
    assertFalse(ImageProbe.isImage(probe.detectMediaType(new byte[] {0, 1, 2, 3, 4, 5})));
  }

  @Test
  void pngTextChunksGiveTitleDescriptionAndKeywords() throws IOException {
    EmbeddedMetadata m =
        probe.readMetadata(
            TestImages.pngWithText(
                "Title", "Apple", "Description", "a red apple, shiny", "Keywords", "fruit, red"));
    assertEquals("Apple", m.title());
    assertEquals("a red apple, shiny", m.description());
    assertEquals("a red apple, shiny", m.caption(), "the description is the better caption");
    assertEquals(List.of("fruit", "red"), m.keywords());
  }

  @Test
  void titleIsTheCaptionWhenThereIsNoDescription() throws IOException {
    assertEquals("Apple", probe.readMetadata(TestImages.pngWithText("Title", "Apple")).caption());
  }

  @Test
  void noMetadataAndUnparseableBytesGiveNone() throws IOException {
    assertEquals(EmbeddedMetadata.NONE, probe.readMetadata(TestImages.pngWithText()));
    EmbeddedMetadata garbage = probe.readMetadata(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
    assertTrue(garbage.caption().isEmpty());
  }
}
