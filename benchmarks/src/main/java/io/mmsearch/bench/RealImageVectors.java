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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.lucene.search.TaskExecutor;

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
   * Query rows {@code from..to-1}: even rows are held-out image augmentations, odd rows caption
   * embeddings. Row {@code q} depends only on the seed and {@code q} (its source is drawn from a
   * random stream of its own), so a cached query file extended later holds exactly the rows a fresh
   * generation would.
   */
  float[] queries(int from, int to, int threads) throws IOException {
    int dim = encoders.dimension();
    List<Integer> imageRows = new ArrayList<>();
    List<Integer> captionRows = new ArrayList<>();
    for (int q = from; q < to; q++) {
      (q % 2 == 0 ? imageRows : captionRows).add(q);
    }
    // A negative stream id: no document uses it.
    float[] imageVectors =
        encodeImages(
            imageRows.size(),
            threads,
            i -> queryRandom(imageRows.get(i)).nextInt(images.length),
            i -> -(seed * 1_000_003L + imageRows.get(i) / 2 + 1));
    List<String> captions = new ArrayList<>(captionRows.size());
    for (int q : captionRows) {
      captions.add(caption(queryRandom(q)));
    }
    List<float[]> textVectors = encoders.text().encodeBatch(captions);
    float[] out = new float[(to - from) * dim];
    for (int q = from, image = 0, text = 0; q < to; q++) {
      if (q % 2 == 0) {
        System.arraycopy(imageVectors, image++ * dim, out, (q - from) * dim, dim);
      } else {
        System.arraycopy(textVectors.get(text++), 0, out, (q - from) * dim, dim);
      }
    }
    return out;
  }

  /** The random stream of query row {@code q}: a function of the seed and {@code q} only. */
  private Random queryRandom(int q) {
    return new Random((seed ^ 0x5DEECE66DL) * 0x9E3779B97F4A7C15L + q);
  }

  /** A caption of a source drawn from {@code random}, skipping sources without one. */
  private String caption(Random random) {
    while (true) {
      ManifestEntry source = sources.get(random.nextInt(sources.size()));
      if (!source.captions().isEmpty()) {
        return source.captions().get(random.nextInt(source.captions().size()));
      }
    }
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
      List<Callable<Void>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
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
            });
      }
      new TaskExecutor(pool).invokeAll(workers);
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
