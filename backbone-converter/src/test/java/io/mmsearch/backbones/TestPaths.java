package io.mmsearch.backbones;

import java.nio.file.Path;

/** Where the tests find the npm cache the build uses. */
final class TestPaths {
  private TestPaths() {}

  /** {@code -Dmmsearch.npm.cache} (set by the pom to the repository's data-cache/npm). */
  static Path npmCache() {
    String dir = System.getProperty("mmsearch.npm.cache");
    if (dir == null) {
      throw new IllegalStateException("run through Maven: -Dmmsearch.npm.cache is not set");
    }
    return Path.of(dir);
  }
}
