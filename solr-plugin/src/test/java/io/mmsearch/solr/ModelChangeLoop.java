package io.mmsearch.solr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The steps of docs/solr.md's model change that are Solr requests rather than SolrJ admin calls: a
 * configset for the new bundle's dimension, and the two streaming expressions (re-embed the old
 * collection's stored fields into the new one; list the documents the new one lacks), sent to
 * {@code /stream} as the page's {@code curl} does.
 */
final class ModelChangeLoop {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelChangeLoop() {}

  /**
   * Every live document of {@code from} sent to {@code to} with its image path (the stored {@code
   * uri}), caption, keywords, class and subclass: {@code to}'s ingest processor encodes it with
   * {@code to}'s bundle. The ids come from {@code /export} (docValues), the stored fields from
   * {@code fetch} in batches, so memory stays flat however large the collection.
   */
  static String reembedExpression(String from, String to) {
    return ("commit(%2$s, update(%2$s, batchSize=32,"
            + " select(fetch(%1$s, search(%1$s, q=\"*:*\", fl=\"id\", sort=\"id asc\","
            + " qt=\"/export\"), fl=\"uri,caption,keywords,class,subclass\", on=\"id=id\","
            + " batchSize=32), id, uri as image_path, caption, keywords, class, subclass)))")
        .formatted(from, to);
  }

  /** The ids of {@code from} that {@code to} does not hold: the refused documents. */
  static String refusedExpression(String from, String to) {
    return ("complement(search(%1$s, q=\"*:*\", fl=\"id\", sort=\"id asc\", qt=\"/export\"),"
            + " search(%2$s, q=\"*:*\", fl=\"id\", sort=\"id asc\", qt=\"/export\"), on=\"id\")")
        .formatted(from, to);
  }

  /**
   * Runs a streaming expression on a node and returns its tuples (without the closing EOF tuple).
   *
   * @throws AssertionError if the stream reports an exception
   */
  static List<JsonNode> stream(String baseUrl, String collection, String expression)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/" + collection + "/stream"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "expr=" + URLEncoder.encode(expression, StandardCharsets.UTF_8)))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "/stream answered " + response.statusCode() + ": " + response.body());
    }
    List<JsonNode> tuples = new ArrayList<>();
    for (JsonNode tuple : JSON.readTree(response.body()).path("result-set").path("docs")) {
      if (tuple.has("EXCEPTION")) {
        throw new AssertionError("the stream failed: " + tuple.get("EXCEPTION").asText());
      }
      if (!tuple.has("EOF")) {
        tuples.add(tuple);
      }
    }
    return tuples;
  }

  /** A copy of the configset with the schema's vector dimension set to {@code dimension}. */
  static Path configsetForDimension(Path target, int dimension) throws IOException {
    Path source = SampleData.configset();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.toList()) {
        Path copy = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(f, copy);
        }
      }
    }
    Path schema = target.resolve("schema.xml");
    String xml = Files.readString(schema);
    if (!xml.contains("vectorDimension=\"256\"")) {
      throw new IllegalStateException("the configset's schema no longer says vectorDimension=256");
    }
    Files.writeString(
        schema, xml.replace("vectorDimension=\"256\"", "vectorDimension=\"" + dimension + "\""));
    return target;
  }
}
