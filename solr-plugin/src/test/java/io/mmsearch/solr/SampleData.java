package io.mmsearch.solr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.common.SolrInputDocument;

/** The shipped sample (sample-data/) and default model, found from the working directory up. */
public final class SampleData {
  private SampleData() {}

  /** One manifest line. */
  public record Entry(
      String id, String image, String caption, List<String> keywords, String cls, String subclass) {

    /** The Solr document that names the image by path under the sample folder. */
    public SolrInputDocument document() {
      SolrInputDocument d = new SolrInputDocument();
      d.setField("id", id);
      d.setField("image_path", image);
      d.setField("caption", caption);
      for (String k : keywords) {
        d.addField("keywords", k);
      }
      d.setField("class", cls);
      if (subclass != null) {
        d.setField("subclass", subclass);
      }
      return d;
    }
  }

  /** The {@code sample-data} folder. */
  public static Path folder() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("sample-data");
      if (Files.isRegularFile(candidate.resolve("manifest.jsonl"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no sample-data/manifest.jsonl above " + Path.of("").toAbsolutePath());
  }

  /** The shipped default model bundle. */
  public static Path defaultModel() {
    return folder().resolve("models/default");
  }

  /** The mmsearch configset of this module. */
  public static Path configset() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("solr-plugin/src/main/configset/mmsearch/conf");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      candidate = p.resolve("src/main/configset/mmsearch/conf");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("configset not found");
  }

  /** Every line of the sample manifest. */
  public static List<Entry> entries() {
    ObjectMapper json = new ObjectMapper();
    List<Entry> entries = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(folder().resolve("manifest.jsonl"))) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = json.readTree(line);
        List<String> keywords = new ArrayList<>();
        n.path("keywords").forEach(k -> keywords.add(k.asText()));
        entries.add(
            new Entry(
                n.get("id").asText(),
                n.get("image").asText(),
                n.path("caption").asText(),
                keywords,
                n.path("class").asText(null),
                n.path("subclass").asText(null)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }
}
