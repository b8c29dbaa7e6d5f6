package io.mmsearch.training.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One image with its captions, before decoding. Immutable.
 *
 * @param id unique id within the dataset
 * @param image the image file
 * @param captions one or more non-blank captions; one is sampled per training step
 * @param concept what the image shows (the class, or the id when there is no class); items of the
 *     same concept are never negatives of each other
 */
public record TrainingExample(String id, Path image, List<String> captions, String concept) {
  public TrainingExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(concept, "concept");
    captions = List.copyOf(captions);
    if (captions.isEmpty()) {
      throw new IllegalArgumentException("example " + id + " has no caption");
    }
  }
}
