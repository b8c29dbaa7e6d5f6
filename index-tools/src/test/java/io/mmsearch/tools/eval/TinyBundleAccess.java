package io.mmsearch.tools.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Lets tests outside this package write a {@link TinyBundle}. */
public final class TinyBundleAccess {
  private TinyBundleAccess() {}

  /** Writes a tiny real bundle into {@code directory} and returns the directory. */
  public static Path write(Path directory, List<String> words, long seed) throws IOException {
    return TinyBundle.write(directory, words, seed).directory();
  }
}
