package io.mmsearch.semantics.recall;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Where the calibration gets vectors that look like the index's text queries. Text embeddings sit
 * apart from image embeddings (the modality gap of CLIP-style models), and indexed image vectors do
 * not stand in for them: on {@code real-image} (30,000 documents) recall@10 0.98 took 10 candidates
 * for image-like queries and 52 for caption embeddings. These sources give the calibration real
 * text vectors instead.
 */
@FunctionalInterface
public interface TextQueries {

  /**
   * Text vectors and what they are.
   *
   * @param vectors unit vectors of the index's model (empty: the source had none)
   * @param source what the vectors are, for people (stored with the calibration)
   */
  record Sample(List<float[]> vectors, String source) {
    public Sample {
      vectors = List.copyOf(vectors);
    }
  }

  /**
   * Up to {@code count} text vectors.
   *
   * @param index the index being calibrated
   * @param random the calibration's random source (seeded: the sample is reproducible)
   */
  Sample sample(CalibrationIndex index, int count, Random random) throws IOException;

  /** No text queries: text searches use the image curve (and the calibration says so). */
  static TextQueries none() {
    return (index, count, random) -> new Sample(List.of(), "none");
  }

  /** Fixed vectors (for example caption embeddings a caller already has), first {@code count}. */
  static TextQueries of(List<float[]> vectors, String source) {
    List<float[]> copy = List.copyOf(vectors);
    return (index, count, random) ->
        new Sample(copy.subList(0, Math.min(count, copy.size())), source);
  }

  /** The vectors of a text-embedding field of the index itself ({@code caption_vec}). */
  static TextQueries storedVectors(String field) {
    return (index, count, random) ->
        new Sample(
            storedVectors(index.ofField(field), count, random), "stored " + field + " vectors");
  }

  /** The vectors of up to {@code count} random live documents of a view. */
  private static List<float[]> storedVectors(CalibrationIndex index, int count, Random random)
      throws IOException {
    int[] docs = index.liveDocs();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < Math.min(count, docs.length); i++) {
      int j = i + random.nextInt(docs.length - i);
      int t = docs[i];
      docs[i] = docs[j];
      docs[j] = t;
      vectors.add(index.vector(docs[i]));
    }
    return vectors;
  }

  /**
   * Values of a stored text field of up to {@code count} random live documents (fewer if the field
   * is rare or absent).
   */
  private static List<String> storedTexts(
      CalibrationIndex index, String field, int count, Random random) throws IOException {
    int maxDoc = index.maxDoc();
    List<String> texts = new ArrayList<>();
    // Bounded: an index without the field must not loop for long.
    for (int tries = 0; maxDoc > 0 && texts.size() < count && tries < count * 20; tries++) {
      int doc = random.nextInt(maxDoc);
      if (index.isLive(doc)) {
        String value = index.storedText(doc, field);
        if (value != null && !value.isBlank()) {
          texts.add(value);
        }
      }
    }
    return texts;
  }

  /**
   * Stored captions of random documents, embedded by the model's text encoder: the queries people
   * type are short descriptions like these.
   *
   * @param captionField the stored text field
   * @param encoder embeds a batch of texts (thread-safe; not closed here)
   */
  static TextQueries encodedCaptions(
      String captionField, Function<List<String>, List<float[]>> encoder) {
    return (index, count, random) -> {
      List<String> texts = storedTexts(index, captionField, count, random);
      return new Sample(
          texts.isEmpty() ? List.of() : encoder.apply(texts),
          "stored " + captionField + " texts, embedded by the text encoder");
    };
  }

  /** The first of {@code sources} that gives any vectors. */
  static TextQueries firstOf(TextQueries... sources) {
    List<TextQueries> all = List.of(sources);
    return (index, count, random) -> {
      for (TextQueries source : all) {
        Sample sample = source.sample(index, count, random);
        if (!sample.vectors().isEmpty()) {
          return sample;
        }
      }
      return new Sample(List.of(), "none");
    };
  }
}
