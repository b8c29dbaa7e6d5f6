package io.mmsearch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.tools.PipelineOptions;
import io.mmsearch.tools.cloud.CloudSetup;
import io.mmsearch.tools.cloud.LocalSolrCloud;
import io.mmsearch.tools.cloud.SolrApi;
import io.mmsearch.tools.cloud.SolrArtifacts;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingSummary;
import io.mmsearch.tools.search.SearchSession;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mmsearch bench cloud}: the local SolrCloud against the embedded index on the same machine,
 * side by side in one run: ingest images/s of a manifest and single-client text-query latency
 * (p50/p99). Optionally a second cloud whose nodes let Lucene 9.12 use the JDK's vector API.
 */
@Command(
    name = "cloud",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest images/s and text-query p50/p99: a local SolrCloud (nodes in their own JVMs, Solr"
          + " 9.10 / Lucene 9.12) against the embedded Lucene 10 index, same images, same"
          + " queries, one run. One machine cannot show scale-out gains: the figures show what"
          + " distribution costs."
    })
final class CloudBench implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", description = "Model bundle (default: the shipped default model).")
  Path model;

  @Option(names = "--manifest", description = "Images to index (default: the sample manifest).")
  Path manifest;

  @Option(names = "--nodes", description = "Solr nodes (default: ${DEFAULT-VALUE}).")
  int nodes = 2;

  @Option(names = "--shards", description = "Shards (default: ${DEFAULT-VALUE}).")
  int shards = 2;

  @Option(names = "--replicas", description = "Replicas per shard (default: ${DEFAULT-VALUE}).")
  int replicas = 1;

  @Option(
      names = "--clients",
      description = "Concurrent update requests to the cloud (default: ${DEFAULT-VALUE}).")
  int clients = 4;

  @Option(
      names = "--queries",
      description = "Timed text queries per target (default: ${DEFAULT-VALUE}).")
  int queries = 300;

  @Option(
      names = "--update-chain",
      description =
          "Update chain for the cloud's ingest: mmsearch (one document at a time, bad ones"
              + " rejected alone; the default) or mmsearch-batch (all or nothing, images encoded"
              + " 32 per model call).")
  String updateChain = "mmsearch";

  @Option(names = "--warmup", description = "Untimed queries first (default: ${DEFAULT-VALUE}).")
  int warmup = 100;

  @Option(names = "-k", description = "Hits per query (default: ${DEFAULT-VALUE}).")
  int k = 10;

  @Option(names = "--node-heap", description = "Heap per Solr node (default: ${DEFAULT-VALUE}).")
  String heap = "1g";

  @Option(
      names = "--vector-api-variant",
      description =
          "Also measure a cloud whose nodes enable the vector API for Lucene 9.12 on this JDK"
              + " (-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=<this JDK>"
              + " --add-modules jdk.incubator.vector).")
  boolean vectorApiVariant;

  @Option(names = "--work-dir", description = "Work folder (default: a temporary one, deleted).")
  Path workDir;

  @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
  boolean json;

  @Mixin PipelineOptions pipelineOptions;

  @Override
  public Integer call() throws Exception {
    Path home = BenchInputs.home();
    Path bundle = BenchInputs.model(model, spec.commandLine());
    Path manifestFile = manifest != null ? manifest : BenchInputs.sampleManifest();
    Path work = workDir != null ? workDir : Files.createTempDirectory("mmsearch-bench-cloud");
    List<String> captions = captions(manifestFile);
    List<ObjectNode> rows = new ArrayList<>();
    try {
      rows.add(embedded(bundle, manifestFile, work.resolve("embedded"), captions));
      SolrArtifacts artifacts = SolrArtifacts.find(home);
      rows.add(
          cloud(
              "cloud",
              artifacts,
              bundle,
              manifestFile,
              work.resolve("cloud"),
              captions,
              List.of()));
      if (vectorApiVariant) {
        int feature = Runtime.version().feature();
        rows.add(
            cloud(
                "cloud+vector-api",
                artifacts,
                bundle,
                manifestFile,
                work.resolve("cloud-vector-api"),
                captions,
                List.of(
                    "-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=" + feature,
                    "--add-modules",
                    "jdk.incubator.vector")));
      }
    } finally {
      if (workDir == null) {
        CloudSetup.wipe(work);
      }
    }
    print(rows);
    printDotProducts(home, ModelBundle.open(bundle).dimension());
    return 0;
  }

  /**
   * Lucene's dot product on this machine: the nodes' Lucene 9.12 on this JDK as Solr runs it, the
   * same with the vector API enabled, and this JVM's Lucene 10 (which enables it by itself).
   */
  private void printDotProducts(Path home, int dim) throws Exception {
    SolrArtifacts artifacts = SolrArtifacts.find(home);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int feature = Runtime.version().feature();
    double solrDefault = dotProduct(java, artifacts.nodeClassPath(), dim, List.of());
    double solrVector =
        dotProduct(
            java,
            artifacts.nodeClassPath(),
            dim,
            List.of(
                "--add-modules",
                "jdk.incubator.vector",
                "-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=" + feature));
    // The same timing class on this JVM's class path: Lucene 10, which enables the vector API.
    String lucene10ClassPath =
        artifacts.nodeClassPath().split(File.pathSeparator)[0]
            + File.pathSeparator
            + System.getProperty("java.class.path");
    double lucene10 =
        dotProduct(java, lucene10ClassPath, dim, List.of("--add-modules", "jdk.incubator.vector"));
    ObjectNode o = row("dot-product");
    o.put("dimension", dim);
    o.put("lucene_9_12_ns", BenchInputs.round(solrDefault, 1));
    o.put("lucene_9_12_vector_api_ns", BenchInputs.round(solrVector, 1));
    o.put("lucene_10_ns", BenchInputs.round(lucene10, 1));
    if (json) {
      System.out.println(o);
    } else {
      System.out.printf(
          "VectorUtil.dotProduct(%d-d) on Java %d: Lucene 9.12 as Solr runs it %.1f ns, with the"
              + " vector API enabled %.1f ns, Lucene 10 (this JVM) %.1f ns%n",
          dim, feature, solrDefault, solrVector, lucene10);
    }
  }

  /** Runs the node module's DotProductTiming in a JVM of its own with {@code classPath}. */
  private static double dotProduct(String java, String classPath, int dim, List<String> options)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(options);
    cmd.addAll(
        List.of("-cp", classPath, "io.mmsearch.solr.node.DotProductTiming", Integer.toString(dim)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    for (String line : out.split("\\R")) {
      if (line.startsWith("dot_product_ns ")) {
        return Double.parseDouble(line.split(" ")[2]);
      }
    }
    throw new IllegalStateException("no timing from " + cmd + ": " + out);
  }

  private ObjectNode embedded(Path bundle, Path manifestFile, Path dir, List<String> captions)
      throws Exception {
    ObjectNode o = row("embedded");
    double load = BenchInputs.loadAverage();
    Files.createDirectories(dir);
    IndexingSummary summary;
    try (DualEncoder encoders =
            Encoders.open(EncoderCriteria.builder().bundle(bundle).intraOpThreads(1).build());
        ErrorReport errors = ErrorReport.create(dir.resolve("errors.jsonl"))) {
      summary =
          pipelineOptions
              .applyTo(IndexingPipeline.builder())
              .inputs(List.of(manifestFile))
              .index(dir.resolve("index"))
              .encoders(encoders)
              .errors(errors)
              .build()
              .run();
    }
    long indexed = summary.added() + summary.updated();
    o.put("images", indexed);
    o.put("ingest_images_per_s", BenchInputs.round(indexed / summary.seconds(), 1));
    try (SearchSession session = SearchSession.open(dir.resolve("index"), bundle)) {
      Histogram nanos =
          latencies(
              captions,
              q ->
                  session
                      .search(SearchRequest.builder().text(q).k(k).size(k).build())
                      .hits()
                      .size());
      latencyFields(o, nanos);
    }
    o.put("load_average_before", BenchInputs.round(load, 2));
    o.put("load_average_after", BenchInputs.round(BenchInputs.loadAverage(), 2));
    return o;
  }

  private ObjectNode cloud(
      String name,
      SolrArtifacts artifacts,
      Path bundle,
      Path manifestFile,
      Path dir,
      List<String> captions,
      List<String> nodeOptions)
      throws Exception {
    ObjectNode o = row(name);
    double load = BenchInputs.loadAverage();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path imageRoot = manifestFile.toAbsolutePath().getParent();
    try (LocalSolrCloud cloud =
        LocalSolrCloud.start(
            artifacts,
            new LocalSolrCloud.Options(
                nodes, dir, bundle, imageRoot, java.toString(), heap, nodeOptions))) {
      SolrApi api = cloud.api();
      CloudSetup.createCollection(
          api, artifacts, ModelBundle.open(bundle), "bench", shards, replicas);
      CloudSetup.Indexed indexed =
          CloudSetup.index(cloud.urls(), "bench", manifestFile, imageRoot, clients, updateChain);
      o.put("images", indexed.documents());
      o.put("ingest_images_per_s", BenchInputs.round(indexed.documents() / indexed.seconds(), 1));
      o.put("rejected", indexed.rejected());
      List<SolrApi> apis = cloud.urls().stream().map(SolrApi::new).toList();
      int[] next = {0};
      Histogram nanos =
          latencies(
              captions,
              q -> {
                JsonNode rsp =
                    apis.get(next[0]++ % apis.size())
                        .select(
                            "bench",
                            SolrApi.params(
                                "mmsearch.text", q, "rows", Integer.toString(k), "fl", "id,score"));
                return rsp.path("response").path("docs").size();
              });
      latencyFields(o, nanos);
      o.put("nodes", nodes);
      o.put("shards", shards);
      o.put("replicas", replicas);
      o.put("node_jvm_options", String.join(" ", nodeOptions));
      o.put("update_chain", updateChain);
    }
    o.put("load_average_before", BenchInputs.round(load, 2));
    o.put("load_average_after", BenchInputs.round(BenchInputs.loadAverage(), 2));
    return o;
  }

  private interface Query {
    int run(String text) throws Exception;
  }

  private Histogram latencies(List<String> captions, Query query) throws Exception {
    for (int i = 0; i < warmup; i++) {
      query.run(captions.get(i % captions.size()));
    }
    Histogram nanos = new Histogram(3);
    for (int i = 0; i < queries; i++) {
      String q = captions.get((i + warmup) % captions.size());
      long t0 = System.nanoTime();
      if (query.run(q) == 0) {
        throw new IllegalStateException("no hits for '" + q + "'");
      }
      nanos.recordValue(System.nanoTime() - t0);
    }
    return nanos;
  }

  private static void latencyFields(ObjectNode o, Histogram nanos) {
    o.put("text_queries", nanos.getTotalCount());
    o.put("text_p50_ms", BenchInputs.round(nanos.getValueAtPercentile(50) / 1e6, 2));
    o.put("text_p99_ms", BenchInputs.round(nanos.getValueAtPercentile(99) / 1e6, 2));
    o.put("text_mean_ms", BenchInputs.round(nanos.getMean() / 1e6, 2));
  }

  private static ObjectNode row(String target) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("bench", "cloud");
    o.put("target", target);
    o.put("cores", Runtime.getRuntime().availableProcessors());
    o.put("java", Runtime.version().toString());
    return o;
  }

  private static List<String> captions(Path manifestFile) throws Exception {
    Set<String> distinct = new LinkedHashSet<>();
    for (ManifestEntry e : CloudSetup.entries(manifestFile)) {
      if (!e.caption().isBlank()) {
        distinct.add(e.caption());
      }
    }
    return new ArrayList<>(distinct);
  }

  private void print(List<ObjectNode> rows) {
    if (json) {
      rows.forEach(System.out::println);
      return;
    }
    System.out.printf(
        "%-18s %7s %12s %10s %10s %10s %14s%n",
        "target", "images", "ingest img/s", "text p50", "text p99", "text mean", "load avg");
    for (ObjectNode r : rows) {
      System.out.printf(
          "%-18s %7d %12.1f %8.2fms %8.2fms %8.2fms %6.2f->%-6.2f%n",
          r.get("target").asText(),
          r.get("images").asLong(),
          r.get("ingest_images_per_s").asDouble(),
          r.get("text_p50_ms").asDouble(),
          r.get("text_p99_ms").asDouble(),
          r.get("text_mean_ms").asDouble(),
          r.get("load_average_before").asDouble(),
          r.get("load_average_after").asDouble());
    }
    System.out.println(
        "One machine, one client: these figures show what distribution costs (HTTP, a second"
            + " JVM, per-document encoding on the receiving node, per-shard HNSW, the merge), not"
            + " what more machines would gain. Solr cloud: "
            + nodes
            + " nodes, "
            + shards
            + " shards x "
            + replicas
            + " replicas, "
            + clients
            + " concurrent update clients; queries round-robin over the nodes.");
  }
}
