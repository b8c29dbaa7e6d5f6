package io.mmsearch.tools.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.tools.MmsearchCommand;
import io.mmsearch.tools.search.SearchSession;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.lucene.store.AlreadyClosedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rosters of {@link ServedModels}: a request holds the roster it started with through any
 * number of swaps and loads, and an index the server opened itself is closed when the last request
 * using it ends, not before. Real indexes of two tiny bundles, built by the command line.
 */
class ServedModelsTest {
  @TempDir static Path root;
  static Path oldBundle;
  static Path oldIndex;
  static Path newBundle;
  static Path newIndex;
  static SearchSession oldSession;
  static SearchSession newSession;

  @BeforeAll
  static void indexTwoImagesWithOneModelAndReindexWithAnother() throws Exception {
    Path images = Files.createDirectories(root.resolve("images"));
    List<String> manifest = new ArrayList<>();
    for (Color c : List.of(Color.RED, Color.BLUE)) {
      BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      var g = image.createGraphics();
      g.setColor(c);
      g.fillRect(0, 0, 32, 32);
      g.dispose();
      String id = c.equals(Color.RED) ? "red" : "blue";
      ImageIO.write(image, "png", images.resolve(id + ".png").toFile());
      manifest.add(
          "{\"id\":\"%s\",\"image\":\"%s.png\",\"caption\":\"%s square\"}".formatted(id, id, id));
    }
    Path manifestFile = Files.write(images.resolve("manifest.jsonl"), manifest);
    oldBundle = TinyBundles.write(root.resolve("old-bundle"), 7).directory();
    newBundle = TinyBundles.write(root.resolve("new-bundle"), 11).directory();
    oldIndex = root.resolve("old-index");
    newIndex = root.resolve("new-index");
    run(
        "index",
        manifestFile.toString(),
        "--index",
        oldIndex.toString(),
        "--model",
        oldBundle.toString());
    run(
        "reindex",
        "--index",
        oldIndex.toString(),
        "--model",
        newBundle.toString(),
        "--out",
        newIndex.toString());
    oldSession = SearchSession.open(oldIndex, oldBundle);
    newSession = SearchSession.open(newIndex, newBundle);
  }

  private static void run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--no-progress");
    assertEquals(0, MmsearchCommand.commandLine().execute(all.toArray(String[]::new)));
  }

  @AfterAll
  static void close() throws Exception {
    oldSession.close();
    newSession.close();
  }

  @Test
  void aRequestKeepsTheRosterItStartedWithThroughSwaps() throws Exception {
    try (ServedModels models =
        ServedModels.of(oldSession, oldIndex, newSession, newIndex, SearchSession::open)) {
      ServedModels.Roster inFlight = models.acquire();
      models.swap();
      models.swap();
      models.swap();
      ServedModels.Roster next = models.acquire();
      try {
        assertSame(oldSession, inFlight.live().session(), "the request's live model is unchanged");
        assertSame(oldSession, inFlight.pick(null).session());
        assertEquals("live", inFlight.role(inFlight.pick(null)));
        assertEquals(2, inFlight.live().session().documents(), "and its index is open");
        assertSame(newSession, next.live().session(), "a request starting now gets the other");
        assertSame(oldSession, next.shadow().session());
      } finally {
        models.release(next);
        models.release(inFlight);
      }
    }
  }

  @Test
  void anIndexOpenedWhileServingClosesWhenItsLastRequestEndsNotBefore() throws Exception {
    List<SearchSession> opened = new ArrayList<>();
    ServedModels.SessionOpener recording =
        (index, bundle) -> {
          SearchSession s = SearchSession.open(index, bundle);
          opened.add(s);
          return s;
        };
    try (ServedModels models = ServedModels.of(oldSession, oldIndex, null, null, recording)) {
      models.load(newIndex, newBundle, true); // live now; the old index becomes the shadow
      ServedModels.Roster inFlight = models.acquire();
      SearchSession loaded = opened.get(0);
      assertSame(loaded, inFlight.live().session());

      models.load(oldIndex, oldBundle, true); // another live one; the loaded one is the shadow
      models.load(newIndex, newBundle, false); // a new shadow: the first loaded one retires
      assertEquals(2, loaded.documents(), "retired, but a request still uses it: open");

      models.release(inFlight);
      assertThrows(AlreadyClosedException.class, loaded::documents, "closed by the last release");
      assertEquals(2, oldSession.documents(), "the caller's sessions are never closed here");
    }
    assertEquals(3, opened.size());
    for (SearchSession s : opened) {
      assertThrows(AlreadyClosedException.class, s::documents, "close() closes what it opened");
    }
    assertEquals(2, newSession.documents());
  }

  @Test
  void withoutAShadowThereIsNothingToSwapTo() throws Exception {
    try (ServedModels models =
        ServedModels.of(oldSession, oldIndex, null, null, SearchSession::open)) {
      HttpError e = assertThrows(HttpError.class, models::swap);
      assertTrue(e.getMessage().contains("no shadow"), e.getMessage());
      ServedModels.Roster r = models.acquire();
      try {
        assertNull(r.shadow());
        assertSame(oldSession, r.live().session());
      } finally {
        models.release(r);
      }
    }
  }
}
