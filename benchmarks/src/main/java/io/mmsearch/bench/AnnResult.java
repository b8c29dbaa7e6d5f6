package io.mmsearch.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured configuration of the ANN benchmark. Fields that do not apply are {@code null} and
 * left out of the JSON line.
 *
 * @param config e.g. {@code hnsw-int8-os3-rerank}, {@code faiss-flat}, {@code rerank-faiss-100}
 * @param docs indexed vectors
 * @param recallAt10 mean recall@k against FAISS flat exact search
 * @param qps single-threaded queries per second
 * @param vectorBytes bytes of the vectors the search scores (.vec for float32, .veq when quantized)
 * @param graphBytes bytes of the HNSW graph (.vex)
 * @param diskBytes all vector-format files of the index (.vec .vemf .veq .vemq .vex .vem)
 * @param usPerQuery microseconds per re-rank call (re-rank timings only)
 * @param faissFlatQpsNearby FAISS flat queries/s timed right before and after this configuration,
 *     so that the speed-up is a side-by-side ratio on a shared, noisy machine (HNSW runs only)
 */
record AnnResult(
    String config,
    int docs,
    Double recallAt10,
    Double qps,
    Long vectorBytes,
    Long graphBytes,
    Long diskBytes,
    Double usPerQuery,
    Double faissFlatQpsNearby) {

  static AnnResult search(
      String config,
      int docs,
      double recall,
      double qps,
      Long vectorBytes,
      Long graphBytes,
      Long diskBytes,
      Double faissFlatQpsNearby) {
    return new AnnResult(
        config, docs, recall, qps, vectorBytes, graphBytes, diskBytes, null, faissFlatQpsNearby);
  }

  static AnnResult rerankTiming(String config, int docs, double usPerQuery) {
    return new AnnResult(config, docs, null, null, null, null, null, usPerQuery, null);
  }

  /** Bytes a search needs hot: the scored vectors plus the graph. */
  Long searchBytes() {
    return vectorBytes == null ? null : vectorBytes + (graphBytes == null ? 0 : graphBytes);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("config", config);
    m.put("docs", docs);
    put(m, "recall_at_10", recallAt10 == null ? null : round(recallAt10, 4));
    put(m, "qps", qps == null ? null : round(qps, 1));
    put(m, "vector_bytes", vectorBytes);
    put(m, "graph_bytes", graphBytes);
    put(m, "search_bytes", searchBytes());
    put(m, "disk_bytes", diskBytes);
    put(m, "us_per_query", usPerQuery == null ? null : round(usPerQuery, 2));
    if (faissFlatQpsNearby != null) {
      m.put("faiss_flat_qps_nearby", round(faissFlatQpsNearby, 1));
      m.put("speedup_vs_faiss_flat", round(qps / faissFlatQpsNearby, 2));
    }
    return m;
  }

  String toText() {
    if (usPerQuery != null) {
      return String.format("%-28s %12.2f us/query", config, usPerQuery);
    }
    return String.format(
        "%-28s recall@10 %.4f  %9.1f q/s%s  vectors %s  graph %s  disk %s",
        config,
        recallAt10,
        qps,
        faissFlatQpsNearby == null
            ? ""
            : String.format(" (%.1fx FAISS flat)", qps / faissFlatQpsNearby),
        mb(vectorBytes),
        mb(graphBytes),
        mb(diskBytes));
  }

  private static String mb(Long bytes) {
    return bytes == null ? "-" : String.format("%.1f MB", bytes / 1e6);
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
