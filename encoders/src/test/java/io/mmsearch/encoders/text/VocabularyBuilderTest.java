package io.mmsearch.encoders.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VocabularyBuilderTest {
  private static final List<String> CORPUS =
      List.of("red heart", "Red apple", "green apple", "red car", "blue heart", "a heart");

  private static VocabularyBuilder builder() {
    return new VocabularyBuilder(new WordSplitter(true));
  }

  @Test
  void startsWithPadAndUnkThenOrdersByFrequencyThenToken() {
    Vocabulary v = builder().addTexts(CORPUS).build();
    // red 3, heart 3, apple 2, then the singletons in String order
    assertEquals(
        List.of("<pad>", "<unk>", "heart", "red", "apple", "a", "blue", "car", "green"),
        v.tokens());
  }

  @Test
  void leavesOutWordsBelowMinFrequency() {
    Vocabulary v = builder().minFrequency(2).addTexts(CORPUS).build();
    assertEquals(List.of("<pad>", "<unk>", "heart", "red", "apple"), v.tokens());
    assertEquals(Vocabulary.UNK_ID, v.idOf("car"));
  }

  @Test
  void maxSizeCountsTheSpecialTokensAndKeepsTheMostFrequent() {
    Vocabulary v = builder().maxSize(4).addTexts(CORPUS).build();
    assertEquals(List.of("<pad>", "<unk>", "heart", "red"), v.tokens());
  }

  @Test
  void sameCorpusInAnyOrderGivesTheSameVocabulary() {
    Vocabulary expected = builder().addTexts(CORPUS).build();
    Random random = new Random(42);
    for (int round = 0; round < 10; round++) {
      List<String> shuffled = new ArrayList<>(CORPUS);
      Collections.shuffle(shuffled, random);
      assertEquals(expected, builder().addTexts(shuffled).build());
    }
  }

  @Test
  void countsWordsAsTheServingTokenizerSplitsThem() {
    VocabularyBuilder b = builder().addText("ＲＥＤ-Heart\u0000red");
    assertEquals(2, b.count("red"));
    assertEquals(1, b.count("heart"));
    Vocabulary v = b.build();
    TokenizedText t = new WordTokenizer(v, 4, true).tokenize("Red heart");
    assertEquals(v.idOf("red"), t.ids()[0]);
    assertEquals(v.idOf("heart"), t.ids()[1]);
  }

  @Test
  void refusesNonsensicalLimits() {
    assertThrows(IllegalArgumentException.class, () -> builder().minFrequency(0));
    assertThrows(IllegalArgumentException.class, () -> builder().maxSize(1));
  }
}
