package io.mmsearch.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.lucene.schema.ImageSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed paraphrase query set ({@code scripts/data/paraphrases.tsv}) keeps its promise:
 * every query names a concept of the shipped sample and shares no content word with that concept's
 * label, where a content word is a term of the index's own caption analysis (English: stop words
 * removed, Porter stems). So BM25 over labels cannot match a paraphrase.
 */
class ParaphraseSetTest {

  static final Path SET = Path.of("scripts", "data", "paraphrases.tsv");
  static final Path SAMPLE = Path.of("sample-data", "manifest.jsonl");

  record Paraphrase(int line, String concept, String text) {}

  static List<Paraphrase> paraphrases;
  static Map<String, String> labels;

  @BeforeAll
  static void read() throws IOException {
    Path root = repositoryRoot();
    paraphrases = new ArrayList<>();
    List<String> lines = Files.readAllLines(root.resolve(SET), StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      assertEquals(2, fields.length, SET + ":" + (i + 1) + " is not <concept><TAB><query>");
      paraphrases.add(new Paraphrase(i + 1, fields[0], fields[1]));
    }
    labels = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(root.resolve(SAMPLE), StandardCharsets.UTF_8)) {
      JsonNode item = json.readTree(line);
      labels.put(item.get("concept").asText(), item.get("caption").asText());
    }
  }

  /** The folder holding the sample, found upwards from the working directory. */
  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(SET)) && Files.isRegularFile(p.resolve(SAMPLE))) {
        return p;
      }
    }
    throw new IllegalStateException(SET + " not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void holdsAtLeast150DistinctQueriesOfSampleConcepts() {
    assertTrue(paraphrases.size() >= 150, paraphrases.size() + " queries");
    Set<String> seen = new HashSet<>();
    for (Paraphrase p : paraphrases) {
      assertTrue(labels.containsKey(p.concept()), "line " + p.line() + ": unknown " + p.concept());
      assertTrue(!p.text().isBlank(), "line " + p.line() + " is blank");
      assertTrue(seen.add(p.concept() + "\t" + p.text()), "line " + p.line() + " repeats");
    }
  }

  @Test
  void noQuerySharesAContentWordWithItsConceptsLabel() throws IOException {
    List<String> overlaps = new ArrayList<>();
    try (Analyzer analyzer = ImageSchema.newAnalyzer()) {
      for (Paraphrase p : paraphrases) {
        String label = labels.get(p.concept());
        Set<String> common = terms(analyzer, p.text());
        common.retainAll(terms(analyzer, label));
        if (!common.isEmpty()) {
          overlaps.add(
              "line " + p.line() + ": \"" + p.text() + "\" vs \"" + label + "\": " + common);
        }
      }
    }
    assertTrue(overlaps.isEmpty(), String.join("\n", overlaps));
  }

  @Test
  void everyQueryHasAContentWord() throws IOException {
    try (Analyzer analyzer = ImageSchema.newAnalyzer()) {
      for (Paraphrase p : paraphrases) {
        assertTrue(!terms(analyzer, p.text()).isEmpty(), "line " + p.line() + ": " + p.text());
      }
    }
  }

  static Set<String> terms(Analyzer analyzer, String text) {
    Set<String> out = new LinkedHashSet<>();
    try (TokenStream tokens = analyzer.tokenStream(ImageSchema.CAPTION, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        out.add(term.toString());
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
