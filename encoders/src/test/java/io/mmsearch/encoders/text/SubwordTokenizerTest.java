package io.mmsearch.encoders.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.error.UnencodableInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** all-MiniLM-L6-v2's real tokenizer.json (WordPiece) and a small byte-level BPE one. */
class SubwordTokenizerTest {
  private static final long CLS = 101;
  private static final long SEP = 102;
  private static final long UNK = 100;

  private static SubwordTokenizer miniLm;

  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    miniLm =
        SubwordTokenizer.read(
            PretrainedBackbones.miniLmTokenizerJson(), "minilm tokenizer.json", 16, false);
  }

  @AfterAll
  static void close() {
    miniLm.close();
  }

  @Test
  void wordPieceGivesBertIdsWithClsAndSep() {
    SubwordIds ids = miniLm.tokenize("Hello world");
    assertArrayEquals(new long[] {CLS, 7592, 2088, SEP}, ids.ids());
    assertArrayEquals(new long[4], ids.typeIds());
    assertEquals("WordPiece", miniLm.modelType());
    assertEquals(0, miniLm.padId());
  }

  @Test
  void unknownWordsSplitIntoContinuationPieces() {
    long[] ids = miniLm.tokenize("unaffable").ids();
    assertTrue(ids.length > 3, "a rare word becomes several ## pieces: " + ids.length);
    assertEquals(CLS, ids[0]);
    assertEquals(SEP, ids[ids.length - 1]);
  }

  @Test
  void accentsAreStrippedAndCaseFoldedByTheUncasedNormaliser() {
    assertArrayEquals(miniLm.tokenize("cafe").ids(), miniLm.tokenize("CAFÉ").ids());
    assertArrayEquals(miniLm.tokenize("naive").ids(), miniLm.tokenize("naïve").ids());
  }

  @Test
  void cjkCharactersAreSeparateTokens() {
    long[] ids = miniLm.tokenize("猫咖啡").ids();
    assertEquals(5, ids.length, "CLS + one token per CJK character + SEP");
  }

  @Test
  void emojiAndZwjSequencesBecomeUnknownTokensNotErrors() {
    assertArrayEquals(new long[] {CLS, UNK, SEP}, miniLm.tokenize("😀").ids());
    long[] family = miniLm.tokenize("👨\u200D👩\u200D👧 family").ids();
    assertEquals(CLS, family[0]);
    assertEquals(SEP, family[family.length - 1]);
    assertTrue(family.length >= 4, "the emoji sequence and the word both survive");
  }

  @Test
  void controlCharactersAreDroppedLikeWhitespace() {
    assertArrayEquals(
        miniLm.tokenize("red heart").ids(), miniLm.tokenize("red\u0000\u0007\theart\r\n").ids());
  }

  @Test
  void tenThousandCharactersAreTruncatedToMaxTokensEndingWithSep() {
    String longText = "word ".repeat(2000);
    long[] ids = miniLm.tokenize(longText).ids();
    assertEquals(16, ids.length);
    assertEquals(CLS, ids[0]);
    assertEquals(SEP, ids[15]);
  }

  @Test
  void textWithOnlySpecialTokensIsAnErrorQuotingIt() {
    for (String text : List.of("", "   ", "\u0000\u0001\u0002")) {
      UnencodableInputException e =
          assertThrows(UnencodableInputException.class, () -> miniLm.tokenize(text));
      assertTrue(e.getMessage().contains("no tokens besides the special ones"), e.getMessage());
      assertTrue(e.getMessage().contains("\""), e.getMessage());
    }
  }

  @Test
  void batchPadsToTheLongestRowWithMaskAndLengths() {
    SubwordBatch b = miniLm.tokenizeBatch(List.of("red", "a red heart"));
    assertEquals(2, b.size());
    assertEquals(5, b.seq());
    assertArrayEquals(new int[] {3, 5}, b.lengths());
    assertArrayEquals(new long[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, b.attentionMask());
    assertEquals(0, b.ids()[3]);
  }

  @Test
  void batchErrorNamesTheIndexOfTheBadText() {
    EncodingException e =
        assertThrows(EncodingException.class, () -> miniLm.tokenizeBatch(List.of("ok", " ")));
    assertTrue(e.getMessage().startsWith("text #1"), e.getMessage());
  }

  @Test
  void lowercasingIsAppliedBeforeTheTokenizerWhenAsked() throws IOException {
    Path file = dir.resolve("bpe.json");
    Files.writeString(file, ByteLevelBpe.tokenizerJson());
    try (SubwordTokenizer cased = SubwordTokenizer.load(file, 8, false);
        SubwordTokenizer lower = SubwordTokenizer.load(file, 8, true)) {
      assertArrayEquals(lower.tokenize("ab").ids(), lower.tokenize("AB").ids());
      assertTrue(
          !java.util.Arrays.equals(cased.tokenize("ab").ids(), cased.tokenize("AB").ids()),
          "without lower-casing, case matters to this BPE");
    }
  }

  @Test
  void byteLevelBpeMergesAndAddsStartAndEndTokens() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, ByteLevelBpe.tokenizerJson());
    try (SubwordTokenizer bpe = SubwordTokenizer.load(file, 8, true)) {
      assertEquals("BPE", bpe.modelType());
      long[] ids = bpe.tokenize("ab").ids();
      assertArrayEquals(
          new long[] {ByteLevelBpe.BOS, ByteLevelBpe.id("ab"), ByteLevelBpe.EOS}, ids, "merged");
      long[] unicode = bpe.tokenize("é😀").ids();
      assertEquals(ByteLevelBpe.BOS, unicode[0]);
      assertEquals(2 + 2 + 4, unicode.length, "byte-level: é is 2 bytes, 😀 is 4");
      long[] truncated = bpe.tokenize("zzzzzzzzzzzzzzzzzzzzzzzzzzzz").ids();
      assertEquals(8, truncated.length);
      assertEquals(ByteLevelBpe.EOS, truncated[7]);
    }
  }

  @Test
  void unknownModelTypeIsRefusedNamingTheFile() throws IOException {
    Path file = dir.resolve("weird-tokenizer.json");
    Files.writeString(file, ByteLevelBpe.tokenizerJson().replace("\"BPE\"", "\"FancyNew\""));
    IOException e = assertThrows(IOException.class, () -> SubwordTokenizer.load(file, 8, true));
    assertTrue(e.getMessage().contains("weird-tokenizer.json"), e.getMessage());
    assertTrue(e.getMessage().contains("FancyNew"), e.getMessage());
  }

  @Test
  void fileThatIsNotATokenizerJsonIsRefusedNamingIt() throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.write(file, "<pad>\n<unk>\nred\n".getBytes(StandardCharsets.UTF_8));
    IOException e = assertThrows(IOException.class, () -> SubwordTokenizer.load(file, 8, true));
    assertTrue(e.getMessage().contains("vocab.txt"), e.getMessage());
    Files.writeString(file, "{\"version\": \"1.0\"}");
    e = assertThrows(IOException.class, () -> SubwordTokenizer.load(file, 8, true));
    assertTrue(e.getMessage().contains("not a Hugging Face tokenizer.json"), e.getMessage());
  }
}
