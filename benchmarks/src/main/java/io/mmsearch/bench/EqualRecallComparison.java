package io.mmsearch.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The figures the targets ask for, read off one data set's measured configurations: at a
 * given recall@10, each HNSW series' fastest configuration that reaches it, as a ratio to the
 * fastest FAISS HNSW configuration that reaches it and to single-query FAISS flat (same query
 * threads); and each quantized format's hot bytes as a share of float32's.
 *
 * <p>"At equal recall" means at or above the level: the candidate sweep is a grid, so a series'
 * qualifying point may overshoot the level, which favours neither side systematically but makes the
 * ratio coarse by up to one grid step. Pure function of the rows; no I/O.
 */
final class EqualRecallComparison {
  private EqualRecallComparison() {}

  /**
   * One HNSW series at one recall level and thread count.
   *
   * @param faissHnswRan whether the run measured FAISS HNSW at all (else {@code faissHnsw} is null
   *     because it was not a peer, not because it fell short of the level)
   */
  record Line(
      int threads,
      double level,
      AnnResult best,
      AnnResult faissHnsw,
      boolean faissHnswRan,
      AnnResult faissFlatSingle) {

    /** q/s of {@link #best} over the fastest FAISS HNSW at the level, or NaN if none reaches it. */
    double vsFaissHnsw() {
      return faissHnsw == null ? Double.NaN : best.qps() / faissHnsw.qps();
    }

    /** q/s of {@link #best} over single-query FAISS flat, or NaN if that was not measured. */
    double vsFaissFlat() {
      return faissFlatSingle == null ? Double.NaN : best.qps() / faissFlatSingle.qps();
    }

    String toText() {
      StringBuilder s =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%d thr, recall@10 >= %.2f: %-34s cand %4d recall %.4f %9.1f q/s",
                  threads,
                  level,
                  best.series().replaceAll(" \\d+thr$", ""),
                  best.candidates(),
                  best.recallAt10(),
                  best.qps()));
      if (faissHnsw != null && !"faiss".equals(best.engine())) {
        s.append(
            String.format(
                Locale.ROOT,
                " = %.2fx faiss hnsw (ef %d, %.4f, %.1f q/s)",
                vsFaissHnsw(),
                faissHnsw.candidates(),
                faissHnsw.recallAt10(),
                faissHnsw.qps()));
      } else if (faissHnsw == null && faissHnswRan) {
        s.append(" (faiss hnsw does not reach it)");
      }
      if (faissFlatSingle != null) {
        s.append(
            String.format(
                Locale.ROOT,
                ", %.1fx faiss flat single-query (%.1f q/s)",
                vsFaissFlat(),
                faissFlatSingle.qps()));
      }
      return s.toString();
    }
  }

  /**
   * For every query-thread count and level: one line per HNSW series that reaches the level (FAISS
   * HNSW included), fastest first.
   */
  static List<Line> atRecall(List<AnnResult> results, double... levels) {
    List<Line> lines = new ArrayList<>();
    TreeSet<Integer> threadCounts = new TreeSet<>();
    results.stream()
        .filter(r -> "hnsw".equals(r.index()))
        .forEach(r -> threadCounts.add(r.threads()));
    for (int t : threadCounts) {
      AnnResult flat =
          results.stream()
              .filter(r -> "faiss".equals(r.engine()) && "flat".equals(r.index()))
              .filter(r -> !r.batched() && r.threads() == t)
              .findFirst()
              .orElse(null);
      boolean faissHnswRan =
          results.stream().anyMatch(r -> "faiss".equals(r.engine()) && "hnsw".equals(r.index()));
      for (double level : levels) {
        Map<String, AnnResult> fastest = new LinkedHashMap<>();
        for (AnnResult r : results) {
          if ("hnsw".equals(r.index()) && r.threads() == t && r.recallAt10() >= level) {
            fastest.merge(r.series(), r, (a, b) -> a.qps() >= b.qps() ? a : b);
          }
        }
        AnnResult faiss =
            fastest.values().stream()
                .filter(r -> "faiss".equals(r.engine()))
                .max(Comparator.comparingDouble(AnnResult::qps))
                .orElse(null);
        fastest.values().stream()
            .sorted(Comparator.comparingDouble(AnnResult::qps).reversed())
            .forEach(r -> lines.add(new Line(t, level, r, faiss, faissHnswRan, flat)));
      }
    }
    return lines;
  }

  /**
   * Hot bytes (vectors the graph scores plus the graph) of each Lucene HNSW format as a share of
   * float32's with the same M and beam width, one entry per format and graph setting.
   */
  static Map<String, Double> ramShareOfFloat32(List<AnnResult> results) {
    Map<String, Double> shares = new LinkedHashMap<>();
    for (AnnResult r : results) {
      if (!"lucene".equals(r.engine()) || !"hnsw".equals(r.index()) || r.ramBytes() == null) {
        continue;
      }
      Optional<AnnResult> float32 =
          results.stream()
              .filter(f -> "lucene".equals(f.engine()) && "hnsw".equals(f.index()))
              .filter(f -> "float32".equals(f.format()) && f.ramBytes() != null)
              .filter(f -> f.m().equals(r.m()) && f.beam().equals(r.beam()))
              .findFirst();
      float32.ifPresent(
          f ->
              shares.putIfAbsent(
                  String.format(Locale.ROOT, "%s M%d b%d", r.format(), r.m(), r.beam()),
                  r.ramBytes() / (double) f.ramBytes()));
    }
    return shares;
  }

  /**
   * Each target-recall row beside the fastest fixed-count row of the same index, settings, filter
   * and thread count that reaches the same recall on every kind of query (image and text queries
   * each, where the set has both): the "within 10% of the best fixed oversample" figure.
   * Rows whose text queries used the image curve are left out.
   */
  static List<String> calibratedAgainstFixed(List<AnnResult> results) {
    List<String> lines = new ArrayList<>();
    for (AnnResult cal : results) {
      if (cal.calibrated() == null || !cal.calibrated().textCalibrated()) {
        continue;
      }
      String base = cal.series().replace(" target", "");
      double target = cal.calibrated().targetRecall();
      AnnResult fixed =
          results.stream()
              .filter(r -> r.calibrated() == null && r.series().equals(base))
              .filter(r -> worstKind(r) >= target)
              .max(Comparator.comparingDouble(AnnResult::qps))
              .orElse(null);
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%s target %.2f: recall %.4f%s (estimated %.4f) at %.1f q/s, %d candidates"
                      + " (image %d%s)",
                  base,
                  target,
                  cal.recallAt10(),
                  cal.textRecall() == null
                      ? ""
                      : String.format(
                          Locale.ROOT,
                          " (image %.4f, text %.4f)",
                          cal.imageRecall(),
                          cal.textRecall()),
                  cal.calibrated().estimatedRecall(),
                  cal.qps(),
                  cal.candidates(),
                  cal.calibrated().imageCandidates(),
                  cal.calibrated().textCandidates() == null
                      ? ""
                      : ", text " + cal.calibrated().textCandidates()));
      if (fixed == null) {
        line.append("; no fixed count reaches it");
      } else {
        line.append(
            String.format(
                Locale.ROOT,
                " = %.2fx the fastest fixed count reaching it on every kind (%d candidates, %.4f,"
                    + " %.1f q/s)",
                cal.qps() / fixed.qps(),
                fixed.candidates(),
                worstKind(fixed),
                fixed.qps()));
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** The lower of the image and text recall where a row has both, else its recall. */
  static double worstKind(AnnResult r) {
    return r.textRecall() == null ? r.recallAt10() : Math.min(r.imageRecall(), r.textRecall());
  }
}
