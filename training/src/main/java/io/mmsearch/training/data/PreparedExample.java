package io.mmsearch.training.data;

/**
 * A prepared example held in memory for the whole run.
 *
 * @param id the example's id
 * @param concept index of the example's concept, shared by all items of that concept
 * @param image what the image tower reads: pixels, or a frozen backbone's features per view
 * @param captions rows of its usable captions in the dataset's {@link CaptionTable} (at least one;
 *     the first is the primary caption, e.g. the label before the tags)
 */
public record PreparedExample(String id, int concept, ImageData image, int[] captions) {
  public PreparedExample {
    captions = captions.clone();
    if (captions.length == 0) {
      throw new IllegalArgumentException("example " + id + " has no caption");
    }
  }

  /** Whether caption row {@code row} is one of this example's captions. */
  public boolean hasCaption(int row) {
    for (int c : captions) {
      if (c == row) {
        return true;
      }
    }
    return false;
  }
}
