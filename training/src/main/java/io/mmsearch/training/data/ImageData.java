package io.mmsearch.training.data;

/** What the image tower reads of one example, prepared once for the whole run. */
public sealed interface ImageData {

  /** Floats per view that the image tower reads ({@code 3*S*S} pixels, or the feature width). */
  int length();

  /** The shape of one item's input: {@code [3, S, S]} pixels or {@code [F]} features. */
  long[] shape();

  /**
   * The CNN's input: the normalised CHW tensor exactly as the serving preprocessor produces it,
   * augmented on the fly per batch; never modified.
   */
  record Pixels(float[] values) implements ImageData {
    @Override
    public int length() {
      return values.length;
    }

    @Override
    public long[] shape() {
      long side = Math.round(Math.sqrt(values.length / 3.0));
      return new long[] {3, side, side};
    }
  }

  /**
   * An image head's input: a frozen backbone's features of the image as preprocessed (view 0) and
   * of its augmented views (1 and up), as half floats, computed once (see {@link
   * ImageFeatureCache}); never modified.
   */
  record Features(short[][] views) implements ImageData {
    public Features {
      if (views.length == 0) {
        throw new IllegalArgumentException("no views");
      }
    }

    @Override
    public int length() {
      return views[0].length;
    }

    @Override
    public long[] shape() {
      return new long[] {views[0].length};
    }

    /** Writes view {@code v} as floats into {@code target} at {@code offset}. */
    public void copyView(int v, float[] target, int offset) {
      ImageFeatureCache.toFloats(views[v], target, offset);
    }
  }
}
