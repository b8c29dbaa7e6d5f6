package io.mmsearch.training.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic train/validation split. Each key (the item id, or its concept) is hashed with the
 * seed; keys whose hash falls below the validation fraction go to validation. The assignment of an
 * item depends only on its key and the seed, never on the order or size of the dataset, so adding
 * items does not move others. Splitting by concept keeps every concept on one side.
 *
 * @param train the training examples, in input order
 * @param validation the validation examples, in input order
 */
public record DatasetSplit(List<TrainingExample> train, List<TrainingExample> validation) {

  /** What an item is split by. */
  public enum SplitBy {
    /** Each item on its own: a concept may appear on both sides. */
    ID,
    /** All items of a concept on the same side. */
    CONCEPT
  }

  public DatasetSplit {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
  }

  /**
   * Splits {@code examples}.
   *
   * @param validationFraction in [0, 1)
   */
  public static DatasetSplit of(
      List<TrainingExample> examples, double validationFraction, SplitBy by, long seed) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validation fraction must be in [0, 1), got " + validationFraction);
    }
    List<TrainingExample> train = new ArrayList<>();
    List<TrainingExample> validation = new ArrayList<>();
    for (TrainingExample e : examples) {
      String key = by == SplitBy.CONCEPT ? e.concept() : e.id();
      (unitHash(key, seed) < validationFraction ? validation : train).add(e);
    }
    return new DatasetSplit(train, validation);
  }

  /** A hash of (key, seed) mapped uniformly to [0, 1). */
  static double unitHash(String key, long seed) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53;
  }
}
