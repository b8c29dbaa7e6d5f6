package io.mmsearch.tools.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One query of a query set: either words ({@code text}, optional {@code keywords}) or an image, and
 * the ids of the documents that count as relevant. Immutable.
 *
 * @param id the query's id, unique within its set
 * @param text the query words, or {@code null} for an image query
 * @param image the query image (absolute), or {@code null} for a text query
 * @param keywords the words for BM25 when they differ from the text (may be empty)
 * @param relevant the ids of the relevant documents, never empty, in file order
 * @param location {@code file:line}, for error messages
 */
public record EvalQuery(
    String id,
    String text,
    Path image,
    List<String> keywords,
    Set<String> relevant,
    String location) {

  public EvalQuery {
    Objects.requireNonNull(id, "id");
    if ((text == null) == (image == null)) {
      throw new IllegalArgumentException(
          "query " + id + ": exactly one of text and image must be given");
    }
    keywords = List.copyOf(keywords);
    relevant = Set.copyOf(relevant);
    if (relevant.isEmpty()) {
      throw new IllegalArgumentException("query " + id + ": no relevant ids");
    }
    Objects.requireNonNull(location, "location");
  }

  /** {@link EvalTask#TEXT_TO_IMAGE} or {@link EvalTask#IMAGE_TO_IMAGE}. */
  public EvalTask task() {
    return image == null ? EvalTask.TEXT_TO_IMAGE : EvalTask.IMAGE_TO_IMAGE;
  }

  /**
   * The words BM25 matches: the keywords when the query has some, else its text; empty for an image
   * query without keywords (BM25 then has nothing to match).
   */
  public Optional<String> words() {
    if (!keywords.isEmpty()) {
      return Optional.of(String.join(" ", keywords));
    }
    return Optional.ofNullable(text);
  }
}
