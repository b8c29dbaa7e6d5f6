package io.mmsearch.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.tools.stats.IndexStats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.index.IndexNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch stats}: what an index holds, or what a running server reports ({@code --server}:
 * its {@code /api/stats}, which adds the server's query-vector cache figures; a command-line
 * process of its own has no cache worth reporting, since every {@code search} starts with an empty
 * one).
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Show documents, classes, vector format, model fingerprint, size and segments.",
      "With --server, ask a running 'mmsearch serve' instead: the same figures plus its"
          + " query-vector cache (hits, misses, hit rate, entries)."
    })
final class StatsCommand implements Callable<Integer> {

  @Option(names = "--index", description = "Index folder.")
  Path index;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "A running server's address, e.g. http://127.0.0.1:8080 (instead of --index).")
  URI server;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if ((index == null) == (server == null)) {
      System.err.println("mmsearch stats: give either --index or --server");
      return 2;
    }
    if (server != null) {
      return serverStats();
    }
    IndexStats s;
    try {
      s = IndexStats.read(index);
    } catch (IndexNotFoundException e) {
      System.err.println("mmsearch stats: no index in " + index);
      return 1;
    }
    if (json) {
      System.out.println(s.toJson());
      return 0;
    }
    System.out.printf("index        %s%n", index.toAbsolutePath());
    System.out.printf(
        "documents    %d (%d deleted, not yet merged away)%n", s.documents(), s.deletedDocuments());
    System.out.printf(
        "model        %s%n", s.model().map(ModelIdentity::toString).orElse("(none recorded)"));
    for (Map.Entry<String, IndexStats.VectorField> e : s.vectorFields().entrySet()) {
      IndexStats.VectorField f = e.getValue();
      System.out.printf(
          "vectors      %s: %d x %d-d %s, format %s%n",
          e.getKey(), f.documents(), f.dimension(), f.similarity(), String.join(", ", f.formats()));
    }
    System.out.printf(
        "size         %,d bytes on disk in %d segments (commit %d)%n",
        s.bytesOnDisk(), s.segments(), s.commitGeneration());
    System.out.printf("classes      %d%n", s.classes().size());
    s.classes().forEach((name, count) -> System.out.printf("  %8d  %s%n", count, name));
    return 0;
  }

  private int serverStats() throws InterruptedException {
    URI uri = server.resolve("/api/stats");
    JsonNode stats;
    try {
      HttpResponse<String> r =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .build()
              .send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        System.err.println("mmsearch stats: --server: " + uri + " answered " + r.statusCode());
        return 1;
      }
      stats = new ObjectMapper().readTree(r.body());
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("mmsearch stats: --server: cannot read " + uri + ": " + e);
      return 1;
    }
    if (json) {
      System.out.println(stats);
      return 0;
    }
    System.out.printf("server       %s (mmsearch %s)%n", server, stats.path("version").asText());
    System.out.printf("documents    %d%n", stats.path("documents").asLong());
    System.out.printf("fingerprint  %s%n", stats.path("fingerprint").asText());
    JsonNode c = stats.path("query_cache");
    System.out.printf(
        "query cache  %d hits, %d misses (hit rate %.3f), %d of %d entries, %d evicted%n",
        c.path("hits").asLong(),
        c.path("misses").asLong(),
        c.path("hit_rate").asDouble(),
        c.path("entries").asLong(),
        c.path("max_entries").asLong(),
        c.path("evictions").asLong());
    return 0;
  }
}
