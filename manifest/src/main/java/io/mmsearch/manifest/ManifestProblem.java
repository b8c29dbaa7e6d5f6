package io.mmsearch.manifest;

import java.util.Objects;

/**
 * One rejected input item: what it was, at which stage it failed, and why. This is also the shape
 * of one line of {@code mmsearch index}'s error report.
 *
 * @param item where the problem is, for a manifest line {@code file:line}, otherwise a file path or
 *     an id
 * @param stage the processing stage that rejected it, for example {@link #STAGE_MANIFEST}
 * @param reason a human-readable reason, never empty
 */
public record ManifestProblem(String item, String stage, String reason) {

  /** Stage name of problems found while reading a manifest line. */
  public static final String STAGE_MANIFEST = "manifest";

  public ManifestProblem {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return item + " [" + stage + "]: " + reason;
  }
}
