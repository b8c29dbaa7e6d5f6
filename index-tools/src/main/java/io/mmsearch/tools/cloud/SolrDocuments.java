package io.mmsearch.tools.cloud;

import io.mmsearch.manifest.ImageFields;
import io.mmsearch.manifest.ManifestEntry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest entry as a Solr JSON document of the mmsearch configset: the fields of the shared
 * mapping ({@link ImageFields}, the same the embedded index is built from), plus {@code
 * image_path}, which the plugin's ingest processor reads (under the nodes' image root) and encodes
 * on the node.
 */
public final class SolrDocuments {
  /** The ingest processor's input field for an image path (see the configset). */
  public static final String IMAGE_PATH = "image_path";

  private SolrDocuments() {}

  /**
   * @param imageRoot the folder the nodes accept image paths under ({@code mmsearch.image.root})
   */
  public static Map<String, Object> of(ManifestEntry e, Path imageRoot) {
    Map<String, Object> d = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> field : ImageFields.of(e).values().entrySet()) {
      List<String> values = field.getValue();
      d.put(field.getKey(), values.size() == 1 ? values.get(0) : values);
    }
    d.put(IMAGE_PATH, imageRoot.toAbsolutePath().normalize().relativize(e.image()).toString());
    return d;
  }
}
