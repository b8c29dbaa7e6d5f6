package io.mmsearch.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How two models' per-query ranks become wins, losses and ties. */
class ModelComparisonTest {

  private static EvalQuery query(String id) {
    return new EvalQuery(id, "text of " + id, null, List.of(), Set.of("doc-" + id), "q:1");
  }

  /** A query whose first relevant document is at {@code rank} (0: not found), in vector mode. */
  private static QueryOutcome outcome(String id, int rank) {
    List<String> ranked = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      ranked.add(i == rank ? "doc-" + id : "other-" + i);
    }
    return new QueryOutcome(
        EvalTask.TEXT_TO_IMAGE,
        EvalMode.VECTOR,
        "queries.jsonl",
        query(id),
        QueryScores.of(ranked, Set.of("doc-" + id)));
  }

  private static EvalLine line(EvalMode mode, double mrr) {
    return new EvalLine(EvalTask.TEXT_TO_IMAGE, mode, "queries.jsonl", 4, Map.of("mrr", mrr));
  }

  @Test
  void aQueryWinsWhenItsFirstRelevantDocumentRanksHigherWithTheNewModel() {
    ModelComparison.Side old =
        new ModelComparison.Side(
            "old",
            List.of(line(EvalMode.VECTOR, 0.4)),
            List.of(outcome("a", 3), outcome("b", 1), outcome("c", 0), outcome("d", 2)));
    ModelComparison.Side neu =
        new ModelComparison.Side(
            "new",
            List.of(line(EvalMode.VECTOR, 0.6)),
            List.of(outcome("a", 1), outcome("b", 5), outcome("c", 0), outcome("d", 2)));

    ModelComparison.ComparedLine line = ModelComparison.of(old, neu).lines().get(0);

    assertEquals(1, line.wins(), "a: 3 -> 1");
    assertEquals(1, line.losses(), "b: 1 -> 5");
    assertEquals(2, line.ties(), "c: found by neither, d: 2 -> 2");
    assertEquals(
        List.of("b", "a"),
        line.changes().stream().map(c -> c.query().id()).toList(),
        "largest change of reciprocal rank first: b loses 0.8, a gains 0.67");
  }

  @Test
  void findingTheDocumentAtAllBeatsNotFindingIt() {
    ModelComparison.Side old =
        new ModelComparison.Side(
            "old", List.of(line(EvalMode.VECTOR, 0)), List.of(outcome("a", 0)));
    ModelComparison.Side neu =
        new ModelComparison.Side(
            "new", List.of(line(EvalMode.VECTOR, 0.05)), List.of(outcome("a", 20)));
    assertEquals(1, ModelComparison.of(old, neu).lines().get(0).wins());
    assertEquals(1, ModelComparison.of(neu, old).lines().get(0).losses());
  }

  @Test
  void aLineOnlyOneSideHasIsKeptWithTheOtherSideMissing() {
    ModelComparison.Side old =
        new ModelComparison.Side(
            "old", List.of(line(EvalMode.VECTOR, 0.4), line(EvalMode.CAPTION, 0.5)), List.of());
    ModelComparison.Side neu =
        new ModelComparison.Side("new", List.of(line(EvalMode.VECTOR, 0.6)), List.of());

    List<ModelComparison.ComparedLine> lines = ModelComparison.of(old, neu).lines();

    assertEquals(2, lines.size());
    assertEquals(EvalMode.CAPTION, lines.get(1).any().mode());
    assertNull(lines.get(1).newLine());
    assertEquals(0, lines.get(1).wins() + lines.get(1).losses() + lines.get(1).ties());
  }
}
