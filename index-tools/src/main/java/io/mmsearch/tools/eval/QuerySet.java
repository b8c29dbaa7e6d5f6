package io.mmsearch.tools.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A query set read from JSONL, one query per line: {@code {"id":..., "text":...}} or {@code
 * {"id":..., "image": path}}, optional {@code keywords} (a list or a comma-separated string), and
 * {@code "relevant": [doc ids]}. An image path is relative to the query file's folder unless
 * absolute. Immutable.
 *
 * <p>A bad line (invalid JSON, no id, a repeated id, both or neither of text and image, no relevant
 * ids, a missing image file) is skipped and listed in {@link #problems()} with its line and reason;
 * the other lines are still read. A file without any valid query is an error.
 *
 * @param file the query file, absolute
 * @param queries the valid queries in file order
 * @param problems one message per skipped line, {@code file:line: reason}
 */
public record QuerySet(Path file, List<EvalQuery> queries, List<String> problems) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public QuerySet {
    queries = List.copyOf(queries);
    problems = List.copyOf(problems);
  }

  /**
   * Reads a query set.
   *
   * @throws EvalInputException if the file holds no valid query
   * @throws IOException if the file cannot be read
   */
  public static QuerySet read(Path file) throws IOException {
    Path absolute = file.toAbsolutePath().normalize();
    Path folder = absolute.getParent();
    List<EvalQuery> queries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (BufferedReader reader = Files.newBufferedReader(absolute, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String location = absolute + ":" + number;
        try {
          EvalQuery query = parse(line, folder, location);
          if (!ids.add(query.id())) {
            problems.add(location + ": query id " + query.id() + " appears more than once");
            continue;
          }
          queries.add(query);
        } catch (IllegalArgumentException e) {
          problems.add(location + ": " + e.getMessage());
        }
      }
    }
    if (queries.isEmpty()) {
      throw new EvalInputException(
          "query set "
              + absolute
              + " holds no valid query"
              + (problems.isEmpty() ? " (it is empty)" : "; first problem: " + problems.get(0)));
    }
    return new QuerySet(absolute, queries, problems);
  }

  private static EvalQuery parse(String line, Path folder, String location) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String id = text(node, "id");
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("no \"id\"");
    }
    String text = text(node, "text");
    String image = text(node, "image");
    if ((text == null) == (image == null)) {
      throw new IllegalArgumentException(
          "query " + id + ": give exactly one of \"text\" and \"image\"");
    }
    Path imagePath = null;
    if (image != null) {
      imagePath = folder.resolve(image).normalize();
      if (!Files.isRegularFile(imagePath)) {
        throw new IllegalArgumentException(
            "query "
                + id
                + ": image "
                + imagePath
                + (Files.exists(imagePath) ? " is not a regular file" : " not found"));
      }
    }
    JsonNode relevantNode = node.get("relevant");
    if (relevantNode == null || !relevantNode.isArray() || relevantNode.isEmpty()) {
      throw new IllegalArgumentException(
          "query " + id + ": \"relevant\" must be a non-empty list of document ids");
    }
    Set<String> relevant = new LinkedHashSet<>();
    for (JsonNode r : relevantNode) {
      if (!r.isTextual() || r.asText().isBlank()) {
        throw new IllegalArgumentException(
            "query " + id + ": \"relevant\" holds " + r + ", not a document id");
      }
      relevant.add(r.asText());
    }
    return new EvalQuery(id, text, imagePath, keywords(node.get("keywords")), relevant, location);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a string");
    }
    return value.asText();
  }

  private static List<String> keywords(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isArray()) {
      List<String> out = new ArrayList<>();
      node.forEach(k -> out.add(k.asText()));
      return out.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
    }
    return Arrays.stream(node.asText().split(","))
        .map(String::strip)
        .filter(k -> !k.isEmpty())
        .collect(Collectors.toList());
  }

  /** All relevant ids named by the queries, for checking them against an index. */
  public Set<String> relevantIds() {
    Set<String> all = new LinkedHashSet<>();
    queries.forEach(q -> all.addAll(q.relevant()));
    return all;
  }
}
