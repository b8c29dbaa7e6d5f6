package io.mmsearch.backbones;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One feature a converted backbone outputs: the output of a Keras layer, pooled.
 *
 * <p>Written {@code <layer>:global} (mean over the whole feature map: {@code C} floats), {@code
 * <layer>:<g>x<g>} (adaptive average pooling to a {@code g x g} grid: {@code C*g*g} floats,
 * channel-major: for each channel its cells row by row, as PyTorch's {@code adaptive_avg_pool2d(x,
 * g).flatten(1)}), or plain {@code <layer>} for a layer whose output is already a vector (e.g. a
 * Dense layer).
 *
 * @param layer the Keras layer name, e.g. {@code block_11_expand_relu}
 * @param grid 1 for global pooling, {@code g > 1} for a {@code g x g} grid, 0 for none
 */
public record Tap(String layer, int grid) {
  /** Global average pooling. */
  public static final int GLOBAL = 1;

  /** No pooling: the layer's output is already {@code [batch, width]}. */
  public static final int NONE = 0;

  public Tap {
    Objects.requireNonNull(layer, "layer");
    if (layer.isEmpty() || layer.contains(":") || layer.contains(",")) {
      throw new IllegalArgumentException("not a layer name: '" + layer + "'");
    }
    if (grid < 0 || grid > 16) {
      throw new IllegalArgumentException("grid must be 0 (none), 1 (global) or 2..16, got " + grid);
    }
  }

  /** {@code layer:global}. */
  public static Tap global(String layer) {
    return new Tap(layer, GLOBAL);
  }

  /** {@code layer:<g>x<g>}. */
  public static Tap grid(String layer, int grid) {
    if (grid < 2) {
      throw new IllegalArgumentException("a grid has at least 2x2 cells, got " + grid);
    }
    return new Tap(layer, grid);
  }

  /**
   * Parses {@code layer}, {@code layer:global} or {@code layer:<g>x<g>}.
   *
   * @throws IllegalArgumentException quoting the text if it is neither
   */
  public static Tap parse(String text) {
    String t = text.strip();
    int colon = t.indexOf(':');
    if (colon < 0) {
      return new Tap(t, NONE);
    }
    String layer = t.substring(0, colon);
    String pooling = t.substring(colon + 1);
    if (pooling.equals("global")) {
      return global(layer);
    }
    String[] parts = pooling.split("x", -1);
    if (parts.length == 2 && parts[0].equals(parts[1]) && parts[0].matches("\\d{1,2}")) {
      return grid(layer, Integer.parseInt(parts[0]));
    }
    throw new IllegalArgumentException(
        "tap '" + text + "' must be <layer>, <layer>:global or <layer>:<g>x<g> (e.g. 2x2)");
  }

  /** Parses a comma-separated list of taps. */
  public static List<Tap> parseList(String text) {
    List<Tap> taps = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        taps.add(parse(part));
      }
    }
    return taps;
  }

  /** The pooling as written after the colon: {@code global}, {@code 2x2}, or empty for none. */
  public String pooling() {
    return switch (grid) {
      case NONE -> "";
      case GLOBAL -> "global";
      default -> grid + "x" + grid;
    };
  }

  /** Floats per image for a layer with {@code channels} channels. */
  int width(int channels) {
    return grid == NONE ? channels : channels * grid * grid;
  }

  @Override
  public String toString() {
    return grid == NONE ? layer : layer + ":" + pooling();
  }
}
