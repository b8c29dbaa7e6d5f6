package io.mmsearch.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Where the indexing and query benchmarks find their inputs when the command line does not say: the
 * checkout's {@code sample-data/} (the folder {@code ./mmsearch} runs from, passed as the {@code
 * mmsearch.home} system property) and its shipped default model.
 */
final class BenchInputs {
  private BenchInputs() {}

  /** The project folder: {@code -Dmmsearch.home}, else the working directory. */
  static Path home() {
    return Path.of(System.getProperty("mmsearch.home", "."));
  }

  /** {@code sample-data/manifest.jsonl} of the checkout. */
  static Path sampleManifest() {
    return home().resolve("sample-data").resolve("manifest.jsonl");
  }

  /**
   * The given bundle, else the shipped default model if it exists.
   *
   * @throws ParameterException if neither is there (the message says what to pass)
   */
  static Path model(Path given, CommandLine commandLine) {
    if (given != null) {
      return given;
    }
    Path shipped = home().resolve("sample-data").resolve("models").resolve("default");
    if (Files.isRegularFile(shipped.resolve("bundle.json"))) {
      return shipped;
    }
    throw new ParameterException(
        commandLine,
        "no model: pass --model BUNDLE (the default "
            + shipped
            + " does not exist yet; ./mmsearch train produces one)");
  }

  /** The one-minute system load average, or -1 where the platform has none. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
