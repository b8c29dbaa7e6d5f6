package org.example.hostapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.lucene.search.Hit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host application run on the default model (unpacked from its artifact by this build) over a
 * folder of emoji images and a file that is not an image.
 */
class HostAppTest {
  private static final List<String> IMAGES =
      List.of(
          "2764.png", // red heart
          "1f431.png", // cat face
          "1f697.png", // automobile
          "1f34e.png", // red apple
          "2600.png", // sun
          "1f436.png", // dog face
          "1f4da.png", // books
          "26bd.png"); // soccer ball

  @TempDir Path work;

  @Test
  void indexesAFolderSkipsWhatIsNotAnImageAndFindsTheRedHeart() throws Exception {
    Path model = Path.of(System.getProperty("host.model"));
    Path source = Path.of(System.getProperty("host.images"));
    Path images = Files.createDirectories(work.resolve("images"));
    for (String name : IMAGES) {
      Files.copy(source.resolve(name), images.resolve(name));
    }
    Files.writeString(images.resolve("notes.png"), "not a picture", StandardCharsets.UTF_8);
    ByteArrayOutputStream problems = new ByteArrayOutputStream();

    List<Hit> hits =
        HostApp.indexAndSearch(
            model,
            images,
            work.resolve("index"),
            "a red heart",
            20,
            new PrintStream(problems, true, StandardCharsets.UTF_8));

    assertEquals("2764.png", hits.get(0).id(), "top hits: " + hits);
    assertEquals(IMAGES.size(), hits.size(), "every image indexed, the bad file not: " + hits);
    String reported = problems.toString(StandardCharsets.UTF_8);
    assertTrue(reported.contains("notes.png"), "the bad file is named: " + reported);
  }
}
