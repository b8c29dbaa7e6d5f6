package io.mmsearch.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryScoresTest {

  private static final double EPS = 1e-12;

  @Test
  void relevantDocumentFirstScoresOneEverywhere() {
    QueryScores s = QueryScores.of(List.of("a", "b", "c"), Set.of("a"));
    assertEquals(1, s.recallAt1(), EPS);
    assertEquals(1, s.recallAt10(), EPS);
    assertEquals(1, s.reciprocalRank(), EPS);
    assertEquals(1, s.ndcgAt10(), EPS);
  }

  @Test
  void relevantDocumentThirdCountsFromRecallAtFiveOn() {
    QueryScores s = QueryScores.of(List.of("x", "y", "a", "z"), Set.of("a"));
    assertEquals(0, s.recallAt1(), EPS);
    assertEquals(1, s.recallAt5(), EPS);
    assertEquals(1.0 / 3, s.reciprocalRank(), EPS);
    assertEquals(1 / (Math.log(4) / Math.log(2)), s.ndcgAt10(), EPS);
  }

  @Test
  void relevantDocumentBeyondTenCountsOnlyForReciprocalRank() {
    List<String> ranked = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "a");
    QueryScores s = QueryScores.of(ranked, Set.of("a"));
    assertEquals(0, s.recallAt10(), EPS);
    assertEquals(0, s.ndcgAt10(), EPS);
    assertEquals(1.0 / 11, s.reciprocalRank(), EPS);
  }

  @Test
  void twoRelevantDocumentsGiveFractionalRecallAndIdealDcgOfTwo() {
    QueryScores s = QueryScores.of(List.of("a", "x", "b"), Set.of("a", "b"));
    assertEquals(0.5, s.recallAt1(), EPS);
    assertEquals(1, s.recallAt5(), EPS);
    double ideal = 1 + 1 / (Math.log(3) / Math.log(2));
    assertEquals((1 + 1 / (Math.log(4) / Math.log(2))) / ideal, s.ndcgAt10(), EPS);
  }

  @Test
  void missingRelevantDocumentScoresZero() {
    QueryScores s = QueryScores.of(List.of("x"), Set.of("a"));
    assertEquals(0, s.reciprocalRank(), EPS);
    assertEquals(0, s.recallAt10(), EPS);
  }

  @Test
  void meanOfNoQueriesIsAnErrorNotZero() {
    assertThrows(EvalInputException.class, () -> RetrievalFigures.mean(List.of()));
  }

  @Test
  void meanAveragesEveryFigure() {
    RetrievalFigures f =
        RetrievalFigures.mean(
            List.of(
                QueryScores.of(List.of("a"), Set.of("a")),
                QueryScores.of(List.of("x"), Set.of("a"))));
    assertEquals(2, f.queries());
    assertEquals(0.5, f.recallAt1(), EPS);
    assertEquals(0.5, f.mrr(), EPS);
  }
}
