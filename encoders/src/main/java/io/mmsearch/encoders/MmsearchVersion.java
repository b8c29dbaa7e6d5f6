package io.mmsearch.encoders;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The mmsearch release this code belongs to, as the build recorded it: the one version that {@code
 * mmsearch --version}, the web server's {@code /api/stats} and the Solr plugin's start-up log line
 * print. Versions follow semantic versioning from 0.x ({@code docs/releases.md}); a build from a
 * source tree between releases ends in {@code -SNAPSHOT}.
 *
 * <p>Read from a resource the build writes into this module's jar, so it is right however the code
 * runs (from the jar, from a shaded Solr plugin jar, or from a build folder).
 */
public final class MmsearchVersion {
  private static final String RESOURCE = "mmsearch-version.properties";
  private static final String VERSION = read();

  private MmsearchVersion() {}

  /** The version, e.g. {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}. */
  public static String current() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = MmsearchVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the mmsearch build did not write " + RESOURCE + " beside " + MmsearchVersion.class);
      }
      Properties p = new Properties();
      p.load(in);
      String version = p.getProperty("version", "");
      if (version.isBlank() || version.contains("${")) {
        throw new IllegalStateException(RESOURCE + " holds no version: '" + version + "'");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
