package io.mmsearch.encoders.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.error.EncodingException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {
  private static final Vocabulary VOCAB =
      Vocabulary.of(
          List.of(
              "<pad>",
              "<unk>",
              "red",
              "heart",
              "café",
              "straße",
              "ﬁ",
              "fi",
              "2",
              "3",
              "grinning",
              "face",
              "ıi"));

  private static WordTokenizer tokenizer(int maxTokens) {
    return new WordTokenizer(VOCAB, maxTokens, true);
  }

  @Test
  void lowercasesWithUnicodeRulesIncludingNonAscii() {
    WordSplitter lower = new WordSplitter(true);
    assertEquals(
        List.of("café", "straße", "ελλάδα", "æble"), lower.split("CAFÉ STRAßE ΕΛΛΆΔΑ ÆBLE"));
    // Locale.ROOT: dotted capital I lowers to i + combining dot everywhere, not a Turkish rule
    assertEquals(List.of("i\u0307stanbul"), lower.split("\u0130STANBUL"));
  }

  @Test
  void keepsCaseWhenLowercasingIsOff() {
    assertEquals(List.of("Red", "HEART"), new WordSplitter(false).split("Red HEART"));
  }

  @Test
  void appliesNfkcSoCompatibilityFormsMatchTheirPlainWords() {
    // full-width letters, the "fi" ligature and a decomposed é fold to what the vocabulary holds
    assertEquals(List.of("red", "fi", "café"), new WordSplitter(true).split("ＲＥＤ ﬁ cafe\u0301"));
  }

  @Test
  void splitsOnEverythingThatIsNotALetterMarkOrDigit() {
    assertEquals(
        List.of("red", "heart", "2", "3", "face", "grinning"),
        new WordSplitter(true).split("red-heart, 2/3 (face)...grinning!"));
  }

  @Test
  void controlCharactersSeparateWordsAndFormatCharactersVanish() {
    WordSplitter s = new WordSplitter(true);
    assertEquals(List.of("red", "heart", "face"), s.split("red\u0000heart\t\n\u0007face"));
    // zero-width joiner / soft hyphen / BOM are stripped, so the word stays whole
    assertEquals(List.of("grinning"), s.split("\uFEFFgrin\u00ADning\u200D"));
  }

  @Test
  void mapsKnownWordsToTheirIdsAndUnknownWordsToUnk() {
    TokenizedText t = tokenizer(8).tokenize("Red zebra heart");
    assertArrayEquals(new long[] {2, Vocabulary.UNK_ID, 3, 0, 0, 0, 0, 0}, t.ids());
    assertEquals(3, t.length());
  }

  @Test
  void padsRowsToMaxTokensWithPadId() {
    TokenizedText t = tokenizer(5).tokenize("face");
    assertEquals(5, t.ids().length);
    assertEquals(1, t.length());
    for (int i = 1; i < 5; i++) {
      assertEquals(Vocabulary.PAD_ID, t.ids()[i]);
    }
  }

  @Test
  void truncatesToMaxTokensKeepingTheFirstWords() {
    TokenizedText t = tokenizer(2).tokenize("red heart face grinning");
    assertArrayEquals(new long[] {2, 3}, t.ids());
    assertEquals(2, t.length());
  }

  @Test
  void tenThousandCharacterTextTruncatesToMaxTokens() {
    String text = "grinning face ".repeat(10_000 / 14 + 1).substring(0, 10_000);
    TokenizedText t = tokenizer(32).tokenize(text);
    assertEquals(32, t.length());
    assertEquals(10, t.ids()[0]);
    assertEquals(11, t.ids()[31]);
  }

  @Test
  void emptyTextIsRefusedWithAClearMessage() {
    EncodingException e = assertThrows(EncodingException.class, () -> tokenizer(4).tokenize(""));
    assertTrue(e.getMessage().contains("\"\""), e.getMessage());
    assertTrue(e.getMessage().contains("no words"), e.getMessage());
  }

  @Test
  void whitespaceOnlyTextIsRefusedNamingTheText() {
    EncodingException e =
        assertThrows(EncodingException.class, () -> tokenizer(4).tokenize(" \t\u3000\n "));
    assertTrue(e.getMessage().contains("\\u0009"), e.getMessage());
    assertTrue(e.getMessage().contains("no words"), e.getMessage());
  }

  @Test
  void textOfOnlyControlCharactersAndPunctuationIsRefused() {
    assertThrows(EncodingException.class, () -> tokenizer(4).tokenize("\u0000\u0001?!\u200B"));
  }

  @Test
  void batchIsOneContiguousRowMajorBlockWithLengths() {
    TokenizedBatch b = tokenizer(3).tokenizeBatch(List.of("red", "heart face grinning red", "2 3"));
    assertEquals(3, b.size());
    assertArrayEquals(new long[] {2, 0, 0, 3, 11, 10, 8, 9, 0}, b.ids());
    assertArrayEquals(new long[] {1, 3, 2}, b.lengths());
    assertArrayEquals(new long[] {3, 11, 10}, b.row(1));
  }

  @Test
  void batchRowsEqualSingleTokenization() {
    WordTokenizer tok = tokenizer(4);
    List<String> texts = List.of("red heart", "Café STRASSE straße", "zebra");
    TokenizedBatch b = tok.tokenizeBatch(texts);
    for (int i = 0; i < texts.size(); i++) {
      TokenizedText single = tok.tokenize(texts.get(i));
      assertArrayEquals(single.ids(), b.row(i));
      assertEquals(single.length(), b.lengths()[i]);
    }
  }

  @Test
  void batchNamesTheIndexOfATextWithoutWords() {
    EncodingException e =
        assertThrows(
            EncodingException.class, () -> tokenizer(4).tokenizeBatch(List.of("red", "  ")));
    assertTrue(e.getMessage().startsWith("text #1: "), e.getMessage());
  }

  @Test
  void randomTextsGiveValidRowsOrAnErrorNamingTheText() {
    Random random = new Random(20261125);
    WordTokenizer tok = tokenizer(5);
    for (int round = 0; round < 500; round++) {
      String text = randomText(random, random.nextInt(40));
      boolean hasWords = !tok.splitter().split(text).isEmpty();
      try {
        TokenizedText t = tok.tokenize(text);
        assertTrue(hasWords);
        assertTrue(t.length() >= 1 && t.length() <= 5, "length " + t.length());
        for (int i = 0; i < 5; i++) {
          assertTrue(t.ids()[i] >= 0 && t.ids()[i] < VOCAB.size());
          assertTrue((i < t.length()) == (t.ids()[i] != Vocabulary.PAD_ID));
        }
        assertArrayEquals(t.ids(), tok.tokenizeBatch(List.of("red", text)).row(1));
      } catch (EncodingException e) {
        assertFalse(hasWords, e.getMessage());
        assertTrue(e.getMessage().startsWith("text \""), e.getMessage());
      }
    }
  }

  /** Mixes ASCII, accented and CJK letters, digits, punctuation, spaces and control characters. */
  private static String randomText(Random random, int length) {
    String pool = "aZé1 ,.-\t\n\u0000\u0007\u200B\u00AD\uFEFF心ﬁＲß\u0301İ!?";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(pool.charAt(random.nextInt(pool.length())));
    }
    return sb.toString();
  }

  @Test
  void refusesATokenizerKindItDoesNotImplement() {
    assertThrows(
        IllegalArgumentException.class,
        () -> WordTokenizer.forSpec(new TextInputSpec("bpe", "vocab.txt", 8, true), VOCAB));
  }
}
