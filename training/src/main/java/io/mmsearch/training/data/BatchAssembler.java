package io.mmsearch.training.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Builds {@link TrainingBatch}es from a {@link PreparedDataset}: the epoch's shuffled order, one
 * caption sampled per item (the primary caption, e.g. the label, half of the time and one of the
 * others, e.g. a tag, otherwise), augmentation for training batches: pixels are augmented on the
 * fly, backbone features come as one of the image's precomputed views (any view, the clean one
 * included, with equal chance; validation always reads the clean view 0).
 *
 * <p>Every random choice for an item comes from a generator seeded by {@code (seed, epoch, item
 * position)}, so batches are reproducible whatever thread builds them and however many. Immutable
 * and thread-safe.
 */
public final class BatchAssembler {

  /** Chance of training on an item's first caption when it has others (labels before tags). */
  static final double PRIMARY_CAPTION_PROBABILITY = 0.5;

  private final PreparedDataset data;
  private final boolean training;
  private final ImageAugmenter augmenter;
  private final int imageLength;
  private final long[] imageShape;
  private final long seed;

  /**
   * @param training whether batches are for training (shuffled, sampled captions, augmented images)
   *     or validation (dataset order, primary caption, images as prepared)
   * @param augmenter augments pixels in training batches; {@code null} for none (and for features,
   *     whose views were augmented when they were computed)
   */
  public BatchAssembler(
      PreparedDataset data, boolean training, ImageAugmenter augmenter, long seed) {
    this.data = data;
    this.training = training;
    this.augmenter = augmenter;
    this.imageLength = data.size() == 0 ? 0 : data.examples().get(0).image().length();
    this.imageShape = data.size() == 0 ? new long[0] : data.examples().get(0).image().shape();
    this.seed = seed;
  }

  /**
   * The item order of an epoch cut into batches; the last batch may be smaller. Validation keeps
   * the dataset order.
   */
  public List<int[]> epochBatches(int epoch, int batchSize) {
    int n = data.size();
    int[] order = IntStream.range(0, n).toArray();
    if (training) {
      SplittableRandom random = new SplittableRandom(mix(seed, epoch, -1));
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    List<int[]> batches = new ArrayList<>();
    for (int start = 0; start < n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      int[] b = new int[end - start];
      System.arraycopy(order, start, b, 0, b.length);
      batches.add(b);
    }
    return batches;
  }

  /** Assembles the items at {@code indices} for {@code epoch}. */
  public TrainingBatch assemble(int[] indices, int epoch) {
    int size = indices.length;
    float[] images = new float[size * imageLength];
    int[] chosen = new int[size];
    long[] concepts = new long[size];
    PreparedExample[] items = new PreparedExample[size];
    for (int i = 0; i < size; i++) {
      PreparedExample e = data.examples().get(indices[i]);
      items[i] = e;
      SplittableRandom random = new SplittableRandom(mix(seed, epoch, indices[i]));
      chosen[i] = training ? sampleCaption(e.captions(), random) : e.captions()[0];
      concepts[i] = e.concept();
      switch (e.image()) {
        case ImageData.Pixels p -> {
          if (training && augmenter != null) {
            augmenter.augment(p.values(), random, images, i * imageLength);
          } else {
            System.arraycopy(p.values(), 0, images, i * imageLength, imageLength);
          }
        }
        case ImageData.Features f ->
            f.copyView(training ? random.nextInt(f.views().length) : 0, images, i * imageLength);
      }
    }
    float[] describes = new float[size * size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        if (i != j && items[i].hasCaption(chosen[j])) {
          describes[i * size + j] = 1;
        }
      }
    }
    return new TrainingBatch(
        size, images, imageShape.clone(), data.captions().batch(chosen), concepts, describes);
  }

  private static int sampleCaption(int[] captions, SplittableRandom random) {
    if (captions.length == 1 || random.nextDouble() < PRIMARY_CAPTION_PROBABILITY) {
      return captions[0];
    }
    return captions[1 + random.nextInt(captions.length - 1)];
  }

  private static long mix(long seed, long epoch, long item) {
    long h = seed ^ (epoch * 0x9E3779B97F4A7C15L) ^ (item * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    return h ^ (h >>> 29);
  }
}
