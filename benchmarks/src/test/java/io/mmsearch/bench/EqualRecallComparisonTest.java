package io.mmsearch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EqualRecallComparisonTest {

  private static AnnResult flat(boolean batched, double qps) {
    return new AnnResult(
        "d", 1000, 8, "faiss", "flat", "float32", batched, 1, null, null, null, null, 1.0, qps,
        32_000L, null, null, null, 4, null, null, null, null);
  }

  private static AnnResult hnsw(
      String engine,
      String format,
      boolean rerank,
      int candidates,
      double recall,
      double qps,
      long ram) {
    return new AnnResult(
        "d",
        1000,
        8,
        engine,
        "hnsw",
        format,
        false,
        1,
        16,
        100,
        candidates,
        "faiss".equals(engine) ? false : rerank,
        recall,
        qps,
        ram,
        1.0,
        1,
        false,
        4,
        null,
        null,
        null,
        null);
  }

  private static final List<AnnResult> RUN =
      List.of(
          flat(true, 500),
          flat(false, 10),
          hnsw("faiss", "float32", false, 10, 0.93, 2000, 40_000),
          hnsw("faiss", "float32", false, 20, 0.96, 1000, 40_000),
          hnsw("faiss", "float32", false, 40, 0.99, 400, 40_000),
          hnsw("lucene", "int8", true, 10, 0.94, 1500, 12_000),
          hnsw("lucene", "int8", true, 20, 0.97, 800, 12_000),
          hnsw("lucene", "int8", true, 40, 0.985, 900, 12_000), // noisy: faster than at 20
          hnsw("lucene", "float32", false, 20, 0.95, 700, 36_000));

  @Test
  void comparesEachSeriesFastestQualifyingPointWithFaissHnswAndFlat() {
    List<EqualRecallComparison.Line> lines = EqualRecallComparison.atRecall(RUN, 0.95);
    EqualRecallComparison.Line int8 =
        lines.stream().filter(l -> "int8".equals(l.best().format())).findFirst().orElseThrow();
    // The fastest int8 point at >= 0.95 is the noisy one at 40 candidates, not the first one.
    assertEquals(40, int8.best().candidates());
    assertEquals(20, int8.faissHnsw().candidates());
    assertEquals(0.9, int8.vsFaissHnsw(), 1e-9);
    assertEquals(90.0, int8.vsFaissFlat(), 1e-9);
  }

  @Test
  void listsSeriesFastestFirstIncludingFaissItself() {
    List<EqualRecallComparison.Line> lines = EqualRecallComparison.atRecall(RUN, 0.95);
    assertEquals(3, lines.size());
    assertEquals("faiss", lines.get(0).best().engine());
    assertEquals(1.0, lines.get(0).vsFaissHnsw(), 1e-9);
    assertTrue(lines.get(1).best().qps() >= lines.get(2).best().qps());
  }

  @Test
  void seriesThatNeverReachTheLevelAreLeftOut() {
    assertTrue(EqualRecallComparison.atRecall(RUN, 0.995).isEmpty());
  }

  @Test
  void saysWhenFaissHnswFallsShortButNotWhenItWasNotMeasured() {
    List<AnnResult> faissShort = RUN.stream().filter(r -> r.recallAt10() < 0.99).toList();
    EqualRecallComparison.Line line = EqualRecallComparison.atRecall(faissShort, 0.98).get(0);
    assertNull(line.faissHnsw());
    assertTrue(Double.isNaN(line.vsFaissHnsw()));
    assertTrue(line.toText().contains("does not reach"), line.toText());

    List<AnnResult> luceneOnly = RUN.stream().filter(r -> !"faiss".equals(r.engine())).toList();
    String text = EqualRecallComparison.atRecall(luceneOnly, 0.98).get(0).toText();
    assertFalse(text.contains("faiss hnsw"), text);
  }

  @Test
  void ramShareIsAgainstFloat32WithTheSameGraphSettings() {
    Map<String, Double> shares = EqualRecallComparison.ramShareOfFloat32(RUN);
    assertEquals(12_000 / 36_000.0, shares.get("int8 M16 b100"), 1e-9);
    assertEquals(1.0, shares.get("float32 M16 b100"), 1e-9);
  }
}
