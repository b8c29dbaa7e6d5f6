package io.mmsearch.training.data;

import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.image.RefusedFileException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Examples decoded with the shared {@link ImagePreprocessor}, their captions prepared once per
 * distinct text in a {@link CaptionTable} (word tokens or backbone features), ready for batching.
 *
 * <p>Decoding happens once, in parallel, when the dataset is prepared; an image that is missing or
 * cannot be decoded, and a caption the text side cannot use (no words), is recorded as a {@link
 * DatasetProblem} and left out (an example survives while at least one of its captions does).
 * Memory: one float tensor per image ({@code 3 * size * size * 4} bytes, 48 KiB at 64 px).
 *
 * <p>Immutable after construction and thread-safe.
 */
public final class PreparedDataset {
  private static final ImageFileReader IMAGE_FILES = ImageFileReader.withDefaultBudget();

  private final List<PreparedExample> examples;
  private final List<DatasetProblem> problems;
  private final CaptionTable captions;

  private PreparedDataset(
      List<PreparedExample> examples, List<DatasetProblem> problems, CaptionTable captions) {
    this.examples = List.copyOf(examples);
    this.problems = List.copyOf(problems);
    this.captions = captions;
  }

  /**
   * Decodes {@code source} and prepares its captions.
   *
   * @param captions the caption table (may be shared by training and validation)
   * @param conceptIds shared concept-name-to-index map, so training and validation agree; new
   *     concepts are added to it
   */
  public static PreparedDataset prepare(
      List<TrainingExample> source,
      ImagePreprocessor preprocessor,
      CaptionTable captions,
      Map<String, Integer> conceptIds) {
    LinkedHashSet<String> texts = new LinkedHashSet<>();
    source.forEach(e -> texts.addAll(e.captions()));
    Map<String, String> captionErrors = captions.prepare(texts);
    List<Optional<PreparedExample>> prepared =
        new ArrayList<>(Collections.nCopies(source.size(), Optional.empty()));
    List<DatasetProblem> problems = Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> concepts = conceptIds;
    synchronized (concepts) {
      for (TrainingExample e : source) {
        concepts.computeIfAbsent(e.concept(), k -> concepts.size());
      }
    }
    Map<Integer, PreparedExample> done = new ConcurrentHashMap<>();
    IntStream.range(0, source.size())
        .parallel()
        .forEach(
            i -> {
              TrainingExample e = source.get(i);
              prepareOne(
                      e, preprocessor, captions, captionErrors, concepts.get(e.concept()), problems)
                  .ifPresent(p -> done.put(i, p));
            });
    for (int i = 0; i < source.size(); i++) {
      prepared.set(i, Optional.ofNullable(done.get(i)));
    }
    List<DatasetProblem> ordered = new ArrayList<>(problems);
    ordered.sort((a, b) -> a.item().compareTo(b.item()));
    return new PreparedDataset(
        prepared.stream().flatMap(Optional::stream).toList(), ordered, captions);
  }

  private static Optional<PreparedExample> prepareOne(
      TrainingExample e,
      ImagePreprocessor preprocessor,
      CaptionTable table,
      Map<String, String> failedTexts,
      int concept,
      List<DatasetProblem> problems) {
    List<Integer> rows = new ArrayList<>();
    List<String> captionErrors = new ArrayList<>();
    for (String caption : new LinkedHashSet<>(e.captions())) {
      int row = table.row(caption);
      if (row >= 0) {
        rows.add(row);
      } else {
        captionErrors.add(failedTexts.getOrDefault(caption, "caption not prepared: " + caption));
      }
    }
    if (rows.isEmpty()) {
      problems.add(new DatasetProblem(e.id(), "no usable caption: " + captionErrors.get(0)));
      return Optional.empty();
    }
    for (String error : captionErrors) {
      problems.add(new DatasetProblem(e.id(), "caption skipped: " + error));
    }
    byte[] bytes;
    try {
      bytes = IMAGE_FILES.read(e.image());
    } catch (NoSuchFileException ex) {
      problems.add(new DatasetProblem(e.id(), "image file missing: " + e.image()));
      return Optional.empty();
    } catch (RefusedFileException ex) {
      problems.add(new DatasetProblem(e.id(), "image refused: " + ex.getMessage()));
      return Optional.empty();
    } catch (IOException ex) {
      problems.add(new DatasetProblem(e.id(), "image unreadable: " + e.image() + ": " + ex));
      return Optional.empty();
    }
    try {
      float[] pixels = preprocessor.preprocess(bytes, e.image().toString());
      return Optional.of(
          new PreparedExample(
              e.id(), concept, pixels, rows.stream().mapToInt(Integer::intValue).toArray()));
    } catch (RuntimeException ex) {
      problems.add(new DatasetProblem(e.id(), "image not decodable: " + ex.getMessage()));
      return Optional.empty();
    }
  }

  /** The usable examples, in source order. */
  public List<PreparedExample> examples() {
    return examples;
  }

  /** Items that were skipped or partly skipped, sorted by item. */
  public List<DatasetProblem> problems() {
    return problems;
  }

  public int size() {
    return examples.size();
  }

  /** The table the examples' caption rows point into. */
  public CaptionTable captions() {
    return captions;
  }
}
