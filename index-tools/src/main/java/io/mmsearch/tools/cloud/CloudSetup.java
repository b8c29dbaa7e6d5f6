package io.mmsearch.tools.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.lucene.search.TaskExecutor;

/** The steps after the nodes are up: configset, collection, documents. Stateless. */
public final class CloudSetup {
  /** Documents per update request. */
  public static final int BATCH = 100;

  private CloudSetup() {}

  /** What indexing a manifest did. */
  public record Indexed(int documents, int rejected, List<String> problems, double seconds) {}

  /** Deletes {@code dir} (a previous run's solr homes) if it exists. */
  public static void wipe(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * Uploads the mmsearch configset with the schema's vector dimension set to the bundle's, then
   * creates the collection and waits for it.
   */
  public static void createCollection(
      SolrApi api,
      SolrArtifacts artifacts,
      ModelBundle bundle,
      String collection,
      int shards,
      int replicas)
      throws IOException, InterruptedException {
    String configset = "mmsearch-" + collection;
    api.uploadConfigset(
        configset,
        artifacts.configset(),
        Map.of("vectorDimension=\"256\"", "vectorDimension=\"" + bundle.dimension() + "\""));
    api.createCollection(collection, configset, shards, replicas);
  }

  /**
   * Posts the manifest's entries in batches of {@value #BATCH} from {@code threads} clients, round
   * robin over the nodes, then commits. Documents the cloud rejects are counted and listed; a
   * failed request is an error.
   */
  public static Indexed index(
      List<String> nodeUrls, String collection, Path manifest, Path imageRoot, int threads)
      throws IOException, InterruptedException {
    return index(nodeUrls, collection, manifest, imageRoot, threads, null);
  }

  /** {@link #index(List, String, Path, Path, int)} through the update chain {@code chain}. */
  public static Indexed index(
      List<String> nodeUrls,
      String collection,
      Path manifest,
      Path imageRoot,
      int threads,
      String chain)
      throws IOException, InterruptedException {
    List<Map<String, Object>> docs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    ManifestReader.of(manifest)
        .read(e -> docs.add(SolrDocuments.of(e, imageRoot)), p -> problems.add(p.toString()));
    long start = System.nanoTime();
    AtomicInteger rejected = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<List<JsonNode>>> batches = new ArrayList<>();
      for (int from = 0, n = 0; from < docs.size(); from += BATCH, n++) {
        List<Map<String, Object>> batch = docs.subList(from, Math.min(docs.size(), from + BATCH));
        SolrApi api = new SolrApi(nodeUrls.get(n % nodeUrls.size()));
        batches.add(() -> api.add(collection, batch, chain));
      }
      for (List<JsonNode> errors : new TaskExecutor(pool).invokeAll(batches)) {
        for (JsonNode error : errors) {
          rejected.incrementAndGet();
          problems.add(error.path("id").asText() + ": " + error.path("message").asText());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    new SolrApi(nodeUrls.get(0)).commit(collection);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Indexed(docs.size() - rejected.get(), rejected.get(), problems, seconds);
  }

  /** Reads a manifest's valid entries. */
  public static List<ManifestEntry> entries(Path manifest) throws IOException {
    return ManifestReader.of(manifest).readAll().entries();
  }
}
