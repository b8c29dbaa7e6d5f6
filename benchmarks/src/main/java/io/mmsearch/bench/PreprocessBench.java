package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.ImagePreprocessor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch bench preprocess}: images per second for decode + resize + normalise, on 64x64
 * RGBA PNGs (emoji-sized) and 1024x768 JPEGs (photo-sized), with one thread and with a fixed pool
 * of all cores. Inputs are generated into a temporary folder, read back into memory (file I/O is
 * not timed) and deleted afterwards.
 */
@Command(
    name = "preprocess",
    mixinStandardHelpOptions = true,
    description =
        "Images/s for image decode + resize + normalise (64x64 RGBA PNG, 1024x768 JPEG),"
            + " single thread and all cores.")
public final class PreprocessBench implements Callable<Integer> {

  @Option(
      names = "--png-count",
      description = "Number of 64x64 RGBA PNGs (default: ${DEFAULT-VALUE}).")
  int pngCount = 500;

  @Option(
      names = "--jpeg-count",
      description = "Number of 1024x768 JPEGs (default: ${DEFAULT-VALUE}).")
  int jpegCount = 100;

  @Option(
      names = "--threads",
      description = "Threads for the parallel run (default: all cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--size",
      description = "Model input side in pixels (default: the project default, ${DEFAULT-VALUE}).")
  int size = ImageInputSpec.defaults().size();

  @Option(
      names = "--seconds",
      description =
          "Minimum measured time per configuration, after warm-up (default: ${DEFAULT-VALUE}).")
  double seconds = 3.0;

  @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ImageInputSpec defaults = ImageInputSpec.defaults();
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(
            new ImageInputSpec(
                size,
                3,
                defaults.mean(),
                defaults.std(),
                defaults.resize(),
                defaults.background()));
    Path folder = Files.createTempDirectory("mmsearch-bench-preprocess");
    try {
      Map<String, List<byte[]>> inputs = new LinkedHashMap<>();
      inputs.put("png64-rgba", generate(folder, "png", pngCount, 64, 64, true));
      inputs.put("jpeg1024x768", generate(folder, "jpg", jpegCount, 1024, 768, false));
      if (!json) {
        System.out.printf(
            Locale.ROOT,
            "Image preprocessing to %dx%d CHW float32 (%d cores available)%n",
            size,
            size,
            Runtime.getRuntime().availableProcessors());
        System.out.printf(
            Locale.ROOT,
            "%-14s %7s %9s %8s %12s %9s %10s %10s %10s%n",
            "input",
            "images",
            "avg bytes",
            "threads",
            "images/s",
            "speedup",
            "cpu ms/img",
            "decode",
            "resize+norm");
      }
      ObjectMapper mapper = new ObjectMapper();
      for (Map.Entry<String, List<byte[]>> input : inputs.entrySet()) {
        List<byte[]> files = input.getValue();
        long avgBytes = files.stream().mapToLong(b -> b.length).sum() / Math.max(1, files.size());
        double single = 0;
        for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
          Measurement m = measure(preprocessor, files, t);
          double perSecond = m.imagesPerSecond();
          if (t == 1) {
            single = perSecond;
          }
          double speedup = perSecond / single;
          if (json) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("bench", "preprocess");
            row.put("input", input.getKey());
            row.put("images", files.size());
            row.put("avg_bytes", avgBytes);
            row.put("size", size);
            row.put("threads", t);
            row.put("images_per_s", round(perSecond, 1));
            row.put("speedup", round(speedup, 2));
            row.put("cpu_ms_per_image", round(m.cpuMsPerImage(), 3));
            row.put("decode_cpu_ms", round(m.decodeCpuMs(), 3));
            row.put("resize_normalise_cpu_ms", round(m.tensorCpuMs(), 3));
            System.out.println(mapper.writeValueAsString(row));
          } else {
            System.out.printf(
                Locale.ROOT,
                "%-14s %7d %9d %8d %12.1f %8.2fx %10.3f %10.3f %10.3f%n",
                input.getKey(),
                files.size(),
                avgBytes,
                t,
                perSecond,
                speedup,
                m.cpuMsPerImage(),
                m.decodeCpuMs(),
                m.tensorCpuMs());
          }
        }
      }
      if (!json) {
        System.out.println(
            "images/s is wall-clock throughput; cpu ms/img is worker-thread CPU time per image"
                + " (decode + resize/normalise), which stays comparable on a loaded machine.");
      }
      return 0;
    } finally {
      deleteRecursively(folder);
    }
  }

  /**
   * Wall-clock throughput plus the CPU time the worker threads spent per image, split into decode
   * and resize+normalise. CPU time is what stays comparable on a shared, loaded machine.
   */
  private record Measurement(
      double imagesPerSecond, double decodeCpuMs, double tensorCpuMs, double cpuMsPerImage) {}

  /** Runs for at least {@link #seconds}, after a warm-up of the same length. */
  private Measurement measure(ImagePreprocessor preprocessor, List<byte[]> files, int threadCount)
      throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(threadCount);
    try {
      long warmupEnd = System.nanoTime() + (long) (seconds * 1e9);
      while (System.nanoTime() < warmupEnd) {
        runPass(preprocessor, files, pool, threadCount, new LongAdder(), new LongAdder());
      }
      LongAdder decodeNanos = new LongAdder();
      LongAdder tensorNanos = new LongAdder();
      long images = 0;
      long start = System.nanoTime();
      long elapsed;
      do {
        images += runPass(preprocessor, files, pool, threadCount, decodeNanos, tensorNanos);
        elapsed = System.nanoTime() - start;
      } while (elapsed < seconds * 1e9);
      double decodeMs = decodeNanos.sum() / 1e6 / images;
      double tensorMs = tensorNanos.sum() / 1e6 / images;
      return new Measurement(images / (elapsed / 1e9), decodeMs, tensorMs, decodeMs + tensorMs);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Preprocesses every file once, split into one contiguous share per thread. */
  private static int runPass(
      ImagePreprocessor preprocessor,
      List<byte[]> files,
      ExecutorService pool,
      int threadCount,
      LongAdder decodeNanos,
      LongAdder tensorNanos)
      throws InterruptedException, ExecutionException {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    List<Future<Float>> shares = new ArrayList<>();
    int n = files.size();
    for (int t = 0; t < threadCount; t++) {
      int from = (int) ((long) n * t / threadCount);
      int to = (int) ((long) n * (t + 1) / threadCount);
      shares.add(
          pool.submit(
              () -> {
                float checksum = 0;
                for (int i = from; i < to; i++) {
                  long t0 = cpu.getCurrentThreadCpuTime();
                  BufferedImage rgb = preprocessor.decode(files.get(i), "bench-" + i);
                  long t1 = cpu.getCurrentThreadCpuTime();
                  // Consume a value so the work cannot be optimised away.
                  checksum += preprocessor.toTensor(rgb)[i % 7];
                  long t2 = cpu.getCurrentThreadCpuTime();
                  decodeNanos.add(t1 - t0);
                  tensorNanos.add(t2 - t1);
                }
                return checksum;
              }));
    }
    for (Future<Float> share : shares) {
      share.get();
    }
    return n;
  }

  /** Writes {@code count} synthetic images into {@code folder} and returns their bytes. */
  private static List<byte[]> generate(
      Path folder, String format, int count, int width, int height, boolean alpha)
      throws IOException {
    Random random = new Random(42);
    List<byte[]> files = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      BufferedImage image = alpha ? emojiLike(random, width) : photoLike(random, width, height);
      Path file = folder.resolve(String.format(Locale.ROOT, "%s-%05d.%s", format, i, format));
      if (!ImageIO.write(image, format.equals("jpg") ? "jpeg" : format, file.toFile())) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      files.add(Files.readAllBytes(file));
    }
    return files;
  }

  /** A round, anti-aliased, transparent-cornered glyph, like a Twemoji or Noto emoji PNG. */
  private static BufferedImage emojiLike(Random random, int side) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, randomColour(random), side, side, randomColour(random)));
    g.fill(new Ellipse2D.Double(2, 2, side - 4, side - 4));
    g.setColor(randomColour(random));
    g.setStroke(new BasicStroke(3));
    for (int k = 0; k < 3; k++) {
      double d = side / 6.0 + random.nextDouble() * side / 6.0;
      g.draw(
          new Ellipse2D.Double(
              random.nextDouble() * (side - d), random.nextDouble() * (side - d), d, d));
    }
    g.dispose();
    return image;
  }

  /** Smooth gradients with shapes and sensor-like noise: compresses like a photograph. */
  private static BufferedImage photoLike(Random random, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, randomColour(random), width, height, randomColour(random)));
    g.fillRect(0, 0, width, height);
    for (int k = 0; k < 12; k++) {
      g.setColor(randomColour(random));
      double w = width * (0.05 + random.nextDouble() * 0.3);
      double h = height * (0.05 + random.nextDouble() * 0.3);
      g.fill(new Ellipse2D.Double(random.nextDouble() * width, random.nextDouble() * height, w, h));
    }
    g.dispose();
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++) {
        int n = random.nextInt(9) - 4;
        int p = row[x];
        row[x] =
            (clamp(((p >> 16) & 0xFF) + n) << 16)
                | (clamp(((p >> 8) & 0xFF) + n) << 8)
                | clamp((p & 0xFF) + n);
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return image;
  }

  private static Color randomColour(Random random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  private static void deleteRecursively(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
