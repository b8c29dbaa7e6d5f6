package io.mmsearch.training.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Examples with their images prepared once by {@link ImageInputs} (pixels decoded with the shared
 * preprocessor, or a frozen backbone's features per view) and their captions prepared once per
 * distinct text in a {@link CaptionTable} (word tokens or backbone features), ready for batching.
 *
 * <p>An image that is missing, is not a regular file, cannot be decoded or is too small for the
 * backbone, and a caption the text side cannot use (no words), is recorded as a {@link
 * DatasetProblem} and left out (an example survives while at least one of its captions does).
 * Memory: one float tensor per image for the CNN ({@code 3 * size * size * 4} bytes, 48 KiB at 64
 * px), or {@code 2 * features} bytes per view for an image head.
 *
 * <p>Immutable after construction and thread-safe.
 */
public final class PreparedDataset {

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
   * Prepares the images and captions of {@code source}.
   *
   * @param images turns image files into the image tower's input (pixels or backbone features)
   * @param captions the caption table (may be shared by training and validation)
   * @param conceptIds shared concept-name-to-index map, so training and validation agree; new
   *     concepts are added to it
   * @throws IOException if a feature cache cannot be written (bad items are problems, not errors)
   */
  public static PreparedDataset prepare(
      List<TrainingExample> source,
      ImageInputs images,
      CaptionTable captions,
      Map<String, Integer> conceptIds)
      throws IOException {
    LinkedHashSet<String> texts = new LinkedHashSet<>();
    source.forEach(e -> texts.addAll(e.captions()));
    Map<String, String> captionErrors = captions.prepare(texts);
    List<DatasetProblem> problems = new ArrayList<>();
    synchronized (conceptIds) {
      for (TrainingExample e : source) {
        conceptIds.computeIfAbsent(e.concept(), k -> conceptIds.size());
      }
    }
    List<TrainingExample> captioned = new ArrayList<>();
    List<int[]> captionRows = new ArrayList<>();
    for (TrainingExample e : source) {
      int[] rows = captionRows(e, captions, captionErrors, problems);
      if (rows != null) {
        captioned.add(e);
        captionRows.add(rows);
      }
    }
    List<ImageInputs.Prepared> prepared =
        images.prepare(captioned.stream().map(TrainingExample::image).toList());
    List<PreparedExample> examples = new ArrayList<>();
    for (int i = 0; i < captioned.size(); i++) {
      TrainingExample e = captioned.get(i);
      ImageInputs.Prepared p = prepared.get(i);
      if (p.data() == null) {
        problems.add(new DatasetProblem(e.id(), p.problem()));
      } else {
        examples.add(
            new PreparedExample(e.id(), conceptIds.get(e.concept()), p.data(), captionRows.get(i)));
      }
    }
    problems.sort(Comparator.comparing(DatasetProblem::item));
    return new PreparedDataset(examples, problems, captions);
  }

  /** The rows of an example's usable captions, or null (with a problem) if it has none. */
  private static int[] captionRows(
      TrainingExample e,
      CaptionTable table,
      Map<String, String> failedTexts,
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
      return null;
    }
    for (String error : captionErrors) {
      problems.add(new DatasetProblem(e.id(), "caption skipped: " + error));
    }
    return rows.stream().mapToInt(Integer::intValue).toArray();
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
