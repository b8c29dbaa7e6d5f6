package io.mmsearch.training.data;

import java.util.Objects;

/**
 * One item that was skipped, and why. Immutable.
 *
 * @param item names the item (file, manifest line or class)
 * @param reason why it was skipped, for a person to read
 */
public record DatasetProblem(String item, String reason) {
  public DatasetProblem {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return item + ": " + reason;
  }
}
