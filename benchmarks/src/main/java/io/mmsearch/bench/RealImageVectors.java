package io.mmsearch.bench;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.manifest.ManifestEntry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The {@code real-image} ANN data set: embeddings of the sample's images by a real model bundle,
 * under {@link ImageAugmentation}. Document {@code i} is source image {@code i mod S} with the
 * augmentation drawn from {@code (seed, i)}; queries alternate between a held-out augmentation of a
 * random source (a stream no document uses) and the text embedding of a random source's caption.
 * Encoding runs through the bundle's own {@link io.mmsearch.encoders.ImageEncoder} on image-file
 * bytes, as {@code mmsearch index} encodes a file; the augmented image is composited onto the
 * model's background colour first (what its preprocessing does with transparent pixels) and sent as
 * an uncompressed BMP, which decodes faster than a PNG.
 */
final class RealImageVectors {
  private static final int BATCH = 64;
  private static final int PROGRESS_EVERY = 50_000;

  private final DualEncoder encoders;
  private final List<ManifestEntry> sources;
  private final BufferedImage[] images;
  private final long seed;
  private final int background;

  /**
   * @throws IOException if a source image cannot be read
   */
  RealImageVectors(DualEncoder encoders, List<ManifestEntry> sources, long seed)
      throws IOException {
    this.encoders = encoders;
    this.sources = List.copyOf(sources);
    this.seed = seed;
    this.background = encoders.bundle().imageSpec().background();
    this.images = new BufferedImage[sources.size()];
    for (int s = 0; s < images.length; s++) {
      BufferedImage image = ImageIO.read(sources.get(s).image().toFile());
      if (image == null) {
        throw new IOException("not a readable image: " + sources.get(s).image());
      }
      images[s] = image;
    }
  }

  /** Document embeddings {@code from..to-1}, row-major, encoded on {@code threads} threads. */
  float[] documents(int from, int to, int threads) throws IOException {
    return encodeImages(
        to - from, threads, i -> (from + i) % images.length, i -> seed * 1_000_003L + from + i);
  }

  /**
   * {@code count} queries: even rows are held-out image augmentations, odd rows caption embeddings.
   */
  float[] queries(int count, int threads) throws IOException {
    int dim = encoders.dimension();
    int imageQueries = (count + 1) / 2;
    Random pick = new Random(seed ^ 0x5DEECE66DL);
    int[] imageSources = new int[imageQueries];
    for (int i = 0; i < imageQueries; i++) {
      imageSources[i] = pick.nextInt(images.length);
    }
    // A negative stream id: no document uses it.
    float[] imageVectors =
        encodeImages(
            imageQueries, threads, i -> imageSources[i], i -> -(seed * 1_000_003L + i + 1));
    List<String> captions = new ArrayList<>();
    while (captions.size() < count / 2) {
      ManifestEntry source = sources.get(pick.nextInt(sources.size()));
      if (source.captions().isEmpty()) {
        continue;
      }
      captions.add(source.captions().get(pick.nextInt(source.captions().size())));
    }
    List<float[]> textVectors = encoders.text().encodeBatch(captions);
    float[] out = new float[count * dim];
    for (int q = 0; q < count; q++) {
      float[] v =
          q % 2 == 0
              ? java.util.Arrays.copyOfRange(imageVectors, (q / 2) * dim, (q / 2 + 1) * dim)
              : textVectors.get(q / 2);
      System.arraycopy(v, 0, out, q * dim, dim);
    }
    return out;
  }

  /**
   * {@code count} caption embeddings of random sources drawn from a stream of their own (not the
   * queries'): what the index's recall calibration embeds from its stored captions.
   */
  float[] calibrationTexts(int count) throws IOException {
    Random pick = new Random(seed ^ 0x2545F4914F6CDD1DL);
    List<String> captions = new ArrayList<>();
    while (captions.size() < count) {
      ManifestEntry source = sources.get(pick.nextInt(sources.size()));
      if (!source.captions().isEmpty()) {
        captions.add(source.captions().get(pick.nextInt(source.captions().size())));
      }
    }
    int dim = encoders.dimension();
    float[] out = new float[count * dim];
    List<float[]> vectors = encoders.text().encodeBatch(captions);
    for (int i = 0; i < count; i++) {
      System.arraycopy(vectors.get(i), 0, out, i * dim, dim);
    }
    return out;
  }

  private interface RowFunction {
    long apply(int row);
  }

  private float[] encodeImages(
      int count, int threads, java.util.function.IntUnaryOperator source, RowFunction stream)
      throws IOException {
    int dim = encoders.dimension();
    float[] out = new float[count * dim];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int start = next.getAndAdd(BATCH);
                      start < count;
                      start = next.getAndAdd(BATCH)) {
                    int end = Math.min(count, start + BATCH);
                    List<byte[]> files = new ArrayList<>(end - start);
                    for (int i = start; i < end; i++) {
                      BufferedImage augmented =
                          ImageAugmentation.apply(
                              images[source.applyAsInt(i)], new Random(stream.apply(i)));
                      files.add(bmp(ImageAugmentation.flatten(augmented, background)));
                    }
                    List<float[]> vectors = encoders.image().encodeBatch(files);
                    if (end / PROGRESS_EVERY != start / PROGRESS_EVERY) {
                      AnnBench.log("encoded %d of %d images", end, count);
                    }
                    for (int i = start; i < end; i++) {
                      System.arraycopy(vectors.get(i - start), 0, out, i * dim, dim);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while encoding", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IllegalStateException("encoding failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /**
   * Uncompressed: the encoder decodes it faster than a PNG, with the same pixels. Written through a
   * memory-cached stream: {@code ImageIO.write} to an {@code OutputStream} would go through a
   * temporary file per image.
   */
  private static byte[] bmp(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 64 * 3 + 64);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("bmp").next();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(image);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
