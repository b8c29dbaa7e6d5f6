package io.mmsearch.tools.cloud;

import io.mmsearch.manifest.ManifestEntry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A manifest entry as a Solr JSON document of the mmsearch configset: the embedded index's field
 * names (lucene-plugin's {@code ImageSchema}: id, caption, keywords, class, subclass) plus {@code
 * image_path}, which the plugin's ingest processor encodes on the node and stores as {@code uri}.
 * Other manifest columns become {@code <name>_s} strings.
 */
public final class SolrDocuments {
  private SolrDocuments() {}

  /**
   * @param imageRoot the folder the nodes accept image paths under ({@code mmsearch.image.root})
   */
  public static Map<String, Object> of(ManifestEntry e, Path imageRoot) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("id", e.id());
    d.put("image_path", imageRoot.toAbsolutePath().normalize().relativize(e.image()).toString());
    if (!e.caption().isEmpty()) {
      d.put("caption", e.caption());
    }
    if (!e.keywords().isEmpty()) {
      d.put("keywords", e.keywords());
    }
    if (e.className() != null) {
      d.put("class", e.className());
    }
    if (e.subclass() != null) {
      d.put("subclass", e.subclass());
    }
    e.metadata().forEach((k, v) -> d.put(k.replaceAll("[^A-Za-z0-9_]", "_") + "_s", v));
    return d;
  }
}
