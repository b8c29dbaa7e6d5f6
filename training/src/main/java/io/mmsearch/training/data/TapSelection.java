package io.mmsearch.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Some taps of a backbone graph that outputs many (e.g. {@code backbone-converter}'s candidates
 * graph, 40 taps), so heads on different subsets train from one cached feature computation: the
 * features of every image and view are computed once with all taps, and each run keeps the slices
 * of the taps it names. Immutable.
 *
 * @param taps the taps kept, in the order given
 * @param offsets each tap's first feature in the full row
 * @param widths each tap's number of features
 */
public record TapSelection(List<String> taps, int[] offsets, int[] widths) {

  /** The graph metadata key under which {@code backbone-converter} writes its tap layout. */
  public static final String LAYOUT_METADATA = "mmsearch.backbone.layout";

  /**
   * The selection of {@code taps} from a graph's layout, the JSON array {@code [{"tap", "offset",
   * "width"}, ...]} that {@code backbone-converter} writes into its graphs' metadata.
   *
   * @throws IllegalArgumentException naming a tap the layout does not have, and those it has
   */
  public static TapSelection of(List<String> taps, String layoutJson) {
    Map<String, int[]> layout = new LinkedHashMap<>();
    try {
      for (JsonNode slice : new ObjectMapper().readTree(layoutJson)) {
        layout.put(
            slice.get("tap").asText(),
            new int[] {slice.get("offset").asInt(), slice.get("width").asInt()});
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable tap layout: " + e.getMessage(), e);
    }
    int[] offsets = new int[taps.size()];
    int[] widths = new int[taps.size()];
    for (int i = 0; i < taps.size(); i++) {
      int[] slice = layout.get(taps.get(i));
      if (slice == null) {
        throw new IllegalArgumentException(
            "the image backbone graph has no tap " + taps.get(i) + "; it has " + layout.keySet());
      }
      offsets[i] = slice[0];
      widths[i] = slice[1];
    }
    return new TapSelection(List.copyOf(taps), offsets, widths);
  }

  /** Features per row after selection. */
  public int dimension() {
    int d = 0;
    for (int w : widths) {
      d += w;
    }
    return d;
  }

  /** The selected features of a full row. */
  public short[] select(short[] full) {
    short[] out = new short[dimension()];
    int at = 0;
    for (int i = 0; i < offsets.length; i++) {
      System.arraycopy(full, offsets[i], out, at, widths[i]);
      at += widths[i];
    }
    return out;
  }

  /** The selected views of an image. */
  public short[][] select(short[][] views) {
    List<short[]> out = new ArrayList<>(views.length);
    for (short[] v : views) {
      out.add(select(v));
    }
    return out.toArray(short[][]::new);
  }

  @Override
  public String toString() {
    return String.join(",", taps);
  }
}
