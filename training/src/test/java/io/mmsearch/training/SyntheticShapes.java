package io.mmsearch.training;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a small captioned dataset of coloured shapes: every (shape, colour, background) is one
 * concept with a few images (random size and position) captioned "a red circle on a blue
 * background". Test data only.
 */
public final class SyntheticShapes {

  static final Map<String, Color> COLOURS =
      Map.of(
          "red", new Color(220, 30, 30),
          "green", new Color(30, 180, 40),
          "blue", new Color(30, 60, 220),
          "yellow", new Color(240, 220, 30));
  static final List<String> SHAPES = List.of("circle", "square", "triangle");
  static final List<String> BACKGROUNDS = List.of("white", "black", "gray");

  private SyntheticShapes() {}

  /**
   * Writes images under {@code dir/images} and returns the JSONL manifest {@code dir/data.jsonl}.
   */
  public static Path writeManifest(Path dir, int imagesPerConcept, int size, long seed)
      throws IOException {
    Random random = new Random(seed);
    Path images = Files.createDirectories(dir.resolve("images"));
    List<String> lines = new ArrayList<>();
    for (String shape : SHAPES) {
      for (String colour : COLOURS.keySet().stream().sorted().toList()) {
        for (String background : BACKGROUNDS) {
          String concept = colour + "-" + shape + "-" + background;
          for (int i = 0; i < imagesPerConcept; i++) {
            String id = concept + "-" + i;
            BufferedImage image =
                draw(shape, COLOURS.get(colour), background(background), size, random);
            ImageIO.write(image, "png", images.resolve(id + ".png").toFile());
            lines.add(
                String.format(
                    "{\"id\":\"%s\",\"image\":\"images/%s.png\",\"caption\":[\"a %s %s on a %s"
                        + " background\",\"%s %s, %s backdrop\"],\"class\":\"%s\"}",
                    id, id, colour, shape, background, colour, shape, background, concept));
          }
        }
      }
    }
    Path manifest = dir.resolve("data.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }

  /**
   * Writes one {@code size x size} PNG of a shape to {@code file} (replacing it) and returns it.
   */
  public static Path writePng(Path file, String colour, String shape, String background, int size)
      throws IOException {
    BufferedImage image =
        draw(
            shape,
            COLOURS.getOrDefault(colour, new Color(150, 40, 200)),
            background(background),
            size,
            new Random(size));
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  /** Number of concepts {@link #writeManifest} produces. */
  public static int conceptCount() {
    return SHAPES.size() * COLOURS.size() * BACKGROUNDS.size();
  }

  static Color background(String name) {
    return switch (name) {
      case "white" -> Color.WHITE;
      case "black" -> Color.BLACK;
      default -> Color.GRAY;
    };
  }

  static BufferedImage draw(String shape, Color colour, Color background, int size, Random r) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(background);
    g.fillRect(0, 0, size, size);
    g.setColor(colour);
    int extent = size / 2 + r.nextInt(size / 4);
    int x = r.nextInt(size - extent + 1);
    int y = r.nextInt(size - extent + 1);
    switch (shape) {
      case "circle" -> g.fillOval(x, y, extent, extent);
      case "square" -> g.fillRect(x, y, extent, extent);
      default ->
          g.fillPolygon(
              new Polygon(
                  new int[] {x, x + extent / 2, x + extent},
                  new int[] {y + extent, y, y + extent},
                  3));
    }
    g.dispose();
    return image;
  }
}
