package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.manifest.ImageFields;
import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.manifest.ManifestReader;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * A benchmark corpus of any size made from a manifest's images: image {@code i} is source image
 * {@code i mod S}, lightly augmented (horizontal flip, a shift of up to 4 pixels, a small hue
 * rotation) with a random generator seeded by {@code (seed, i)}, so the same arguments always give
 * the same files. Every file has distinct content (checked by SHA-256; a collision is redrawn) so
 * an indexer that skips duplicate content cannot take a short cut. Each item keeps its source's
 * caption, keywords and class.
 *
 * <p>Immutable once generated. The caller owns {@code folder} and deletes it.
 */
final class AugmentedImageSet {
  private static final int MAX_SHIFT = 4;
  private static final float MAX_HUE_TURN = 0.08f;

  /** One generated image: its id, its PNG file, and the manifest entry it was made from. */
  record Item(String id, Path file, ManifestEntry source) {
    /** The source's fields by the shared manifest mapping, with this copy's id and file. */
    ImageFields fields() {
      return ImageFields.of(source).withId(id).withUri(file.toUri().toString());
    }
  }

  private final List<Item> items;

  private AugmentedImageSet(List<Item> items) {
    this.items = List.copyOf(items);
  }

  List<Item> items() {
    return items;
  }

  /**
   * The entries of {@code manifest} whose image files exist; the manifest's rejected lines are
   * skipped.
   *
   * @throws IllegalArgumentException if none is usable
   */
  static List<ManifestEntry> readSources(Path manifest) throws IOException {
    List<ManifestEntry> sources = new ArrayList<>();
    ManifestReader.of(manifest)
        .read(
            e -> {
              if (Files.isRegularFile(e.image())) {
                sources.add(e);
              }
            },
            problem -> {});
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no usable images in " + manifest);
    }
    return sources;
  }

  /**
   * Writes {@code count} augmented PNGs into {@code folder}, using all cores.
   *
   * @throws IOException if a source cannot be decoded or a file cannot be written
   */
  static AugmentedImageSet generate(List<ManifestEntry> sources, int count, long seed, Path folder)
      throws IOException {
    Files.createDirectories(folder);
    BufferedImage[] decoded = new BufferedImage[Math.min(count, sources.size())];
    try {
      IntStream.range(0, decoded.length)
          .parallel()
          .forEach(s -> decoded[s] = readArgb(sources.get(s).image()));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Set<ByteBuffer> hashes = ConcurrentHashMap.newKeySet();
    Item[] items = new Item[count];
    try {
      IntStream.range(0, count)
          .parallel()
          .forEach(
              i -> {
                int s = i % decoded.length;
                Random random = new Random(seed * 1_000_003L + i);
                byte[] png;
                do {
                  png = png(augment(decoded[s], random));
                } while (!hashes.add(ByteBuffer.wrap(sha256(png))));
                Path file = folder.resolve(String.format(Locale.ROOT, "img-%07d.png", i));
                try {
                  Files.write(file, png);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                items[i] =
                    new Item(String.format(Locale.ROOT, "aug-%07d", i), file, sources.get(s));
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new AugmentedImageSet(List.of(items));
  }

  /**
   * Writes a JSONL manifest of the items (absolute image paths; caption, keywords, class and
   * subclass of the source), the input of {@code mmsearch index}.
   */
  void writeManifest(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Item item : items) {
        ObjectNode line = json.createObjectNode();
        line.put("id", item.id());
        line.put("image", item.file().toAbsolutePath().toString());
        ManifestEntry source = item.source();
        if (!source.captions().isEmpty()) {
          line.put("caption", source.caption());
        }
        var keywords = line.putArray("keywords");
        source.keywords().forEach(keywords::add);
        if (source.className() != null) {
          line.put("class", source.className());
        }
        if (source.subclass() != null) {
          line.put("subclass", source.subclass());
        }
        out.write(json.writeValueAsString(line));
        out.write('\n');
      }
    }
  }

  private static BufferedImage readArgb(Path file) {
    try {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        throw new IOException("not a readable image: " + file);
      }
      BufferedImage argb =
          new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
      argb.createGraphics().drawImage(image, 0, 0, null);
      return argb;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Flip, shift (uncovered pixels transparent) and hue rotation, each drawn from {@code random}.
   */
  static BufferedImage augment(BufferedImage source, Random random) {
    int w = source.getWidth();
    int h = source.getHeight();
    boolean flip = random.nextBoolean();
    int dx = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    int dy = random.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    float hueTurn = (random.nextFloat() * 2 - 1) * MAX_HUE_TURN;
    int[] in = source.getRGB(0, 0, w, h, null, 0, w);
    int[] out = new int[w * h];
    float[] hsb = new float[3];
    for (int y = 0; y < h; y++) {
      int sy = y - dy;
      if (sy < 0 || sy >= h) {
        continue;
      }
      for (int x = 0; x < w; x++) {
        int sx = flip ? w - 1 - (x - dx) : x - dx;
        if (sx < 0 || sx >= w) {
          continue;
        }
        int argb = in[sy * w + sx];
        int alpha = argb >>> 24;
        if (alpha == 0) {
          continue;
        }
        Color.RGBtoHSB((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, hsb);
        int rgb = Color.HSBtoRGB(hsb[0] + hueTurn, hsb[1], hsb[2]);
        out[y * w + x] = (alpha << 24) | (rgb & 0xFFFFFF);
      }
    }
    BufferedImage result = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    result.setRGB(0, 0, w, h, out, 0, w);
    return result;
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    try {
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IllegalStateException("the JDK has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
