package io.mmsearch.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured configuration of {@code mmsearch bench ann} on one data set: one JSON object per
 * line with {@code --json}. Fields that do not apply (graph parameters of a flat index, build time
 * of a flat scan) are null and left out.
 *
 * @param data data set label ({@code hard}, {@code real-image}, {@code low-rank})
 * @param docs indexed vectors
 * @param dim floats per vector
 * @param engine {@code lucene} or {@code faiss}
 * @param index {@code flat} or {@code hnsw}
 * @param format vectors the search scores: {@code float32}, {@code int8}, {@code int4}, {@code
 *     binary}
 * @param batched whether all queries went to the engine in one call (FAISS flat only)
 * @param threads query threads (concurrent single-query searches), or FAISS's OpenMP/BLAS threads
 *     for a batched call
 * @param m HNSW M
 * @param beam HNSW construction beam width (FAISS efConstruction)
 * @param candidates HNSW candidates per query: Lucene's {@code k} of {@code KnnFloatVectorQuery},
 *     FAISS's efSearch; the top 10 of them are the answer
 * @param rerank whether the candidates were re-scored exactly on their float32 vectors
 * @param recallAt10 mean recall@10 against exact search (FAISS flat)
 * @param qps queries per second over all threads
 * @param ramBytes bytes a search keeps hot: the scored vectors plus the graph
 * @param buildSeconds wall time to build the index (Lucene: add, merge to the final segments,
 *     commit), on the build threads of the run
 * @param segments Lucene segments searched (null for FAISS)
 * @param executor whether Lucene searched segments in parallel through an executor
 * @param pcaDim90 principal components explaining 90% of the documents' variance
 * @param imageRecall recall@10 over the image queries of a set with text queries too (null: not
 *     split)
 * @param textRecall recall@10 over the text queries (null: the set has none)
 * @param filterShare share of the documents a filter accepted (null: no filter); recall is then
 *     against the exact top 10 of the accepted documents
 * @param calibrated for a row of the target-recall default: the target and what the calibration
 *     chose; null for a fixed candidate count
 */
record AnnResult(
    String data,
    int docs,
    int dim,
    String engine,
    String index,
    String format,
    boolean batched,
    int threads,
    Integer m,
    Integer beam,
    Integer candidates,
    Boolean rerank,
    double recallAt10,
    double qps,
    Long ramBytes,
    Double buildSeconds,
    Integer segments,
    Boolean executor,
    int pcaDim90,
    Double imageRecall,
    Double textRecall,
    Double filterShare,
    Calibrated calibrated) {

  /**
   * What a target-recall row asked for and got. {@code candidates} of the row is the mean count the
   * calibration chose over the queries.
   *
   * @param targetRecall the recall@10 the searches asked for
   * @param estimatedRecall the calibration's estimate, averaged over the queries
   * @param calibrationSeconds wall time of the index's calibration (once per index)
   * @param textCalibrated false if text queries used the image curve (the stand-in measurement)
   * @param imageCandidates count chosen for image queries
   * @param textCandidates count chosen for text queries (null: the set has none)
   */
  record Calibrated(
      double targetRecall,
      double estimatedRecall,
      double calibrationSeconds,
      boolean textCalibrated,
      int imageCandidates,
      Integer textCandidates) {}

  /** The series this point belongs to in a recall/q-s plot: everything but the candidates. */
  String series() {
    StringBuilder s = new StringBuilder(engine).append(' ').append(index);
    if (!"float32".equals(format) || "lucene".equals(engine) && "hnsw".equals(index)) {
      s.append(' ').append(format);
    }
    if (m != null) {
      s.append(" M").append(m).append(" b").append(beam);
    }
    if (Boolean.TRUE.equals(rerank)) {
      s.append(" +rerank");
    }
    if (batched) {
      s.append(" batched");
    }
    if (segments != null && segments > 1) {
      s.append(' ').append(segments).append("seg");
    }
    if (Boolean.TRUE.equals(executor)) {
      s.append(" exec");
    }
    if (filterShare != null) {
      s.append(" filter ").append(filterShare);
    }
    if (calibrated != null) {
      s.append(calibrated.textCalibrated() ? " target" : " target img-cal");
    }
    if (threads > 1) {
      s.append(" ").append(threads).append("thr");
    }
    return s.toString();
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", "ann");
    m.put("data", data);
    m.put("docs", docs);
    m.put("dim", dim);
    m.put("engine", engine);
    m.put("index", index);
    m.put("format", format);
    m.put("batched", batched);
    m.put("threads", threads);
    put(m, "m", this.m);
    put(m, "beam", beam);
    put(m, "candidates", candidates);
    put(m, "rerank", rerank);
    m.put("recall_at_10", round(recallAt10, 4));
    m.put("qps", round(qps, 1));
    put(m, "ram_bytes", ramBytes);
    put(m, "build_s", buildSeconds == null ? null : round(buildSeconds, 1));
    put(m, "segments", segments);
    put(m, "executor", executor);
    m.put("pca_dim_90", pcaDim90);
    put(m, "recall_image", imageRecall == null ? null : round(imageRecall, 4));
    put(m, "recall_text", textRecall == null ? null : round(textRecall, 4));
    put(m, "filter_share", filterShare);
    if (calibrated != null) {
      m.put("target_recall", calibrated.targetRecall());
      m.put("estimated_recall", round(calibrated.estimatedRecall(), 4));
      m.put("calibration_s", round(calibrated.calibrationSeconds(), 2));
      m.put("text_calibrated", calibrated.textCalibrated());
      m.put("candidates_image", calibrated.imageCandidates());
      put(m, "candidates_text", calibrated.textCandidates());
    }
    return m;
  }

  /** A row read back from {@link #toJson()}'s output, or null if it is not an ANN row. */
  static AnnResult fromJson(com.fasterxml.jackson.databind.JsonNode n) {
    if (!"ann".equals(n.path("bench").asText()) || !n.has("recall_at_10")) {
      return null;
    }
    return new AnnResult(
        n.get("data").asText(),
        n.get("docs").asInt(),
        n.get("dim").asInt(),
        n.get("engine").asText(),
        n.get("index").asText(),
        n.get("format").asText(),
        n.get("batched").asBoolean(),
        n.get("threads").asInt(),
        n.has("m") ? n.get("m").asInt() : null,
        n.has("beam") ? n.get("beam").asInt() : null,
        n.has("candidates") ? n.get("candidates").asInt() : null,
        n.has("rerank") ? n.get("rerank").asBoolean() : null,
        n.get("recall_at_10").asDouble(),
        n.get("qps").asDouble(),
        n.has("ram_bytes") ? n.get("ram_bytes").asLong() : null,
        n.has("build_s") ? n.get("build_s").asDouble() : null,
        n.has("segments") ? n.get("segments").asInt() : null,
        n.has("executor") ? n.get("executor").asBoolean() : null,
        n.path("pca_dim_90").asInt(),
        n.has("recall_image") ? n.get("recall_image").asDouble() : null,
        n.has("recall_text") ? n.get("recall_text").asDouble() : null,
        n.has("filter_share") ? n.get("filter_share").asDouble() : null,
        n.has("target_recall")
            ? new Calibrated(
                n.get("target_recall").asDouble(),
                n.get("estimated_recall").asDouble(),
                n.get("calibration_s").asDouble(),
                n.path("text_calibrated").asBoolean(true),
                n.get("candidates_image").asInt(),
                n.has("candidates_text") ? n.get("candidates_text").asInt() : null)
            : null);
  }

  String toText() {
    return String.format(
        Locale.ROOT,
        "%-10s %-38s cand %4s  recall@10 %.4f%s  %9.1f q/s  RAM %8s  build %6s%s",
        data,
        series(),
        candidates == null ? "-" : candidates.toString(),
        recallAt10,
        textRecall == null
            ? ""
            : String.format(Locale.ROOT, " (image %.4f, text %.4f)", imageRecall, textRecall),
        qps,
        ramBytes == null ? "-" : String.format(Locale.ROOT, "%.1f MB", ramBytes / 1e6),
        buildSeconds == null ? "-" : String.format(Locale.ROOT, "%.1f s", buildSeconds),
        calibrated == null
            ? ""
            : String.format(
                Locale.ROOT,
                "  target %.2f (estimated %.4f; image %d cand.%s)",
                calibrated.targetRecall(),
                calibrated.estimatedRecall(),
                calibrated.imageCandidates(),
                calibrated.textCandidates() == null
                    ? ""
                    : ", text " + calibrated.textCandidates() + " cand."));
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static double round(double v, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
