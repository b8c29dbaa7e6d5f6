package io.mmsearch.encoders.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
  @TempDir Path dir;

  @Test
  void savesOneTokenPerLineAndLoadsTheSameIds() throws IOException {
    Vocabulary v = Vocabulary.of(List.of("<pad>", "<unk>", "red", "cœur", "心"));
    Path file = dir.resolve("vocab.txt");
    v.save(file);
    assertEquals("<pad>\n<unk>\nred\ncœur\n心\n", Files.readString(file, StandardCharsets.UTF_8));
    Vocabulary loaded = Vocabulary.load(file);
    assertEquals(v, loaded);
    assertEquals(3, loaded.idOf("cœur"));
    assertEquals("心", loaded.token(4));
  }

  @Test
  void unknownTokensMapToUnkId() {
    Vocabulary v = Vocabulary.of(List.of("<pad>", "<unk>", "red"));
    assertEquals(Vocabulary.UNK_ID, v.idOf("blue"));
    assertFalse(v.contains("blue"));
    assertTrue(v.contains("red"));
  }

  @Test
  void refusesAFileThatDoesNotStartWithPadAndUnk() throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, "red\n<pad>\n<unk>\n");
    IOException e = assertThrows(IOException.class, () -> Vocabulary.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("<pad>"), e.getMessage());
  }

  @Test
  void refusesDuplicateTokensNamingBothIds() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Vocabulary.of(List.of("<pad>", "<unk>", "red", "blue", "red")));
    assertTrue(e.getMessage().contains("ids 2 and 4"), e.getMessage());
  }

  @Test
  void refusesAFileThatIsNotUtf8() throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.write(file, new byte[] {'<', 'p', 'a', 'd', '>', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
    IOException e = assertThrows(IOException.class, () -> Vocabulary.load(file));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void refusesAnEmptyLine() throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, "<pad>\n<unk>\n\nred\n");
    IOException e = assertThrows(IOException.class, () -> Vocabulary.load(file));
    assertTrue(e.getMessage().contains("id 2"), e.getMessage());
  }
}
