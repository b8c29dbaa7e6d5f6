package io.mmsearch.tools.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of {@code mmsearch eval --compare}: an index and the model bundle it was built with,
 * given as {@code INDEX:MODEL}.
 *
 * @param label how the output names this side ({@code old} or {@code new})
 */
public record ComparedModel(String label, Path index, Path model) {

  /**
   * Parses {@code INDEX:MODEL}. A path may itself hold a colon: then the split is the one where
   * both folders exist.
   *
   * @throws EvalInputException if the value has no colon, or no split names two existing folders
   *     while several could
   */
  public static ComparedModel parse(String value, String label) {
    List<Integer> colons = new ArrayList<>();
    for (int i = value.indexOf(':'); i >= 0; i = value.indexOf(':', i + 1)) {
      if (i > 0 && i < value.length() - 1) {
        colons.add(i);
      }
    }
    if (colons.isEmpty()) {
      throw new EvalInputException(
          "--compare takes INDEX:MODEL (an index folder, a colon, the bundle it was built with),"
              + " got '"
              + value
              + "'");
    }
    List<ComparedModel> existing = new ArrayList<>();
    for (int colon : colons) {
      ComparedModel m =
          new ComparedModel(
              label, Path.of(value.substring(0, colon)), Path.of(value.substring(colon + 1)));
      if (Files.isDirectory(m.index()) && Files.isDirectory(m.model())) {
        existing.add(m);
      }
    }
    if (existing.size() == 1) {
      return existing.get(0);
    }
    if (colons.size() == 1) {
      int colon = colons.get(0);
      return new ComparedModel(
          label, Path.of(value.substring(0, colon)), Path.of(value.substring(colon + 1)));
    }
    throw new EvalInputException(
        "--compare '"
            + value
            + "': cannot tell where the index ends and the model begins (several colons, and "
            + (existing.isEmpty() ? "no" : "more than one")
            + " split names two existing folders)");
  }
}
