package io.mmsearch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one mapping from a manifest line to the fields of an index document. */
class ImageFieldsTest {
  @TempDir Path dir;

  private ManifestEntry read(String line) throws Exception {
    Path manifest = Files.writeString(dir.resolve("m.jsonl"), line + "\n");
    return ManifestReader.of(manifest).readAll().entries().get(0);
  }

  @Test
  void everyCaptionIsKeptJoinedAndTheImageBecomesAFileUri() throws Exception {
    ImageFields f =
        ImageFields.of(
            read(
                "{\"id\":\"a\",\"image\":\"img/a.png\",\"caption\":[\"red car\",\"fast auto\"],"
                    + "\"keywords\":\"car, red\",\"class\":\"Travel\",\"subclass\":\"cars\","
                    + "\"photographer\":\"x\"}"));
    assertEquals("a", f.id());
    assertEquals(dir.resolve("img/a.png").toUri().toString(), f.uri());
    assertEquals("red car | fast auto", f.caption());
    assertEquals(List.of("car", "red"), f.keywords());
    assertEquals("Travel", f.className());
    assertEquals("cars", f.subclass());
  }

  @Test
  void absentValuesAreNullAndLeftOutOfTheFieldValues() throws Exception {
    ImageFields f = ImageFields.of(read("{\"id\":\"b\",\"image\":\"b.png\",\"caption\":\" \"}"));
    assertNull(f.caption());
    assertNull(f.className());
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put(ImageFields.ID, List.of("b"));
    expected.put(ImageFields.URI, List.of(dir.resolve("b.png").toUri().toString()));
    assertEquals(expected, f.values());
  }

  @Test
  void fieldValuesComeInTableOrderWithOneValuePerKeyword() throws Exception {
    ImageFields f =
        ImageFields.of(
            read(
                "{\"id\":\"c\",\"image\":\"c.png\",\"caption\":\"cat\",\"keywords\":[\"pet\","
                    + "\"animal\"],\"class\":\"Animals\"}"));
    assertEquals(
        List.of(
            ImageFields.ID,
            ImageFields.URI,
            ImageFields.CAPTION,
            ImageFields.KEYWORDS,
            ImageFields.CLASS),
        List.copyOf(f.values().keySet()));
    assertEquals(List.of("pet", "animal"), f.values().get(ImageFields.KEYWORDS));
  }

  @Test
  void aFileFoundInAFolderHasOnlyIdAndUriUntilMoreIsKnown() {
    ImageFields f = ImageFields.of("x/y.png", dir.resolve("x/y.png")).withClassName("x");
    assertEquals("x", f.className());
    assertEquals(List.of(), f.keywords());
    assertThrows(IllegalArgumentException.class, () -> f.withId(" "));
  }
}
