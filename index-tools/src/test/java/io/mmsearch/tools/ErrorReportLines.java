package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The lines of an {@code mmsearch index} error report, and what the tests ask of them. */
record ErrorReportLines(List<JsonNode> lines) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ErrorReportLines read(Path report) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(report)) {
      lines.add(JSON.readTree(line));
    }
    return new ErrorReportLines(lines);
  }

  int size() {
    return lines.size();
  }

  /** The one line whose item contains {@code itemPart}; fails unless there is exactly one. */
  JsonNode only(String itemPart) {
    List<JsonNode> matches =
        lines.stream().filter(l -> l.get("item").asText().contains(itemPart)).toList();
    assertEquals(1, matches.size(), () -> itemPart + " should be reported once; report: " + lines);
    return matches.get(0);
  }

  /** The item is reported once, at {@code stage}, with a reason containing {@code reasonPart}. */
  void assertReported(String itemPart, String stage, String reasonPart) {
    JsonNode line = only(itemPart);
    assertEquals(stage, line.get("stage").asText(), line.toString());
    assertTrue(line.get("reason").asText().contains(reasonPart), line.toString());
  }

  @Override
  public String toString() {
    return lines.toString();
  }
}
