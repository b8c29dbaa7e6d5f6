package io.mmsearch.tools.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The few Solr HTTP APIs a local cloud needs, called as a user would call them with curl: upload a
 * configset, create a collection, post JSON documents, commit, search. Talking HTTP (no SolrJ)
 * keeps Solr's jars out of this JVM. Thread-safe.
 */
public final class SolrApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String solrUrl;

  /**
   * @param solrUrl a node's base URL, e.g. {@code http://127.0.0.1:8983/solr}
   */
  public SolrApi(String solrUrl) {
    this.solrUrl = solrUrl;
  }

  public String url() {
    return solrUrl;
  }

  /** Zips {@code conf} and uploads it as configset {@code name}, replacing nothing. */
  public void uploadConfigset(String name, Path conf, Map<String, String> replacements)
      throws IOException, InterruptedException {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip);
        Stream<Path> files = Files.walk(conf)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new ZipEntry(conf.relativize(f).toString().replace('\\', '/')));
        String text = Files.readString(f);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
          text = text.replace(r.getKey(), r.getValue());
        }
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    post(
        "/admin/configs?action=UPLOAD&name=" + enc(name),
        "application/octet-stream",
        zip.toByteArray());
  }

  /** Creates a collection and waits until all its replicas are active. */
  public void createCollection(String name, String configset, int shards, int replicas)
      throws IOException, InterruptedException {
    get(
        "/admin/collections?action=CREATE&name="
            + enc(name)
            + "&numShards="
            + shards
            + "&replicationFactor="
            + replicas
            + "&collection.configName="
            + enc(configset)
            + "&waitForFinalState=true");
  }

  /** Posts documents (a JSON array) to {@code collection}; returns the tolerated errors. */
  public List<JsonNode> add(String collection, List<Map<String, Object>> docs)
      throws IOException, InterruptedException {
    return add(collection, docs, null);
  }

  /**
   * Posts documents through the update chain {@code chain} (null: the collection's default);
   * returns the tolerated errors.
   */
  public List<JsonNode> add(String collection, List<Map<String, Object>> docs, String chain)
      throws IOException, InterruptedException {
    String path =
        "/" + enc(collection) + "/update" + (chain == null ? "" : "?update.chain=" + enc(chain));
    JsonNode rsp = post(path, "application/json", JSON.writeValueAsBytes(docs));
    JsonNode errors = rsp.path("responseHeader").path("errors");
    return errors.isArray() ? List.copyOf(iterable(errors)) : List.of();
  }

  public void commit(String collection) throws IOException, InterruptedException {
    get("/" + enc(collection) + "/update?commit=true");
  }

  /** {@code /select} with these parameters (POSTed as a form); the JSON response. */
  public JsonNode select(String collection, Map<String, String> params)
      throws IOException, InterruptedException {
    StringBuilder form = new StringBuilder("wt=json");
    for (Map.Entry<String, String> p : params.entrySet()) {
      form.append('&').append(enc(p.getKey())).append('=').append(enc(p.getValue()));
    }
    return post(
        "/" + enc(collection) + "/select",
        "application/x-www-form-urlencoded",
        form.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the node answers. */
  public boolean isUp() {
    try {
      get("/admin/info/system");
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  JsonNode post(String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private URI uri(String path) {
    return URI.create(solrUrl + path + (path.contains("?") ? "&" : "?") + "wt=json");
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> rsp =
        http.send(
            request.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = JSON.readTree(rsp.body());
    } catch (IOException e) {
      throw new IOException("Solr answered " + rsp.statusCode() + ": " + abbreviate(rsp.body()), e);
    }
    if (rsp.statusCode() != 200) {
      throw new IOException(
          "Solr answered "
              + rsp.statusCode()
              + ": "
              + body.path("error").path("msg").asText(abbreviate(rsp.body())));
    }
    return body;
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> list = new java.util.ArrayList<>();
    array.forEach(list::add);
    return list;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Parameters in the given order. */
  public static Map<String, String> params(String... kv) {
    Map<String, String> p = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      p.put(kv[i], kv[i + 1]);
    }
    return p;
  }
}
