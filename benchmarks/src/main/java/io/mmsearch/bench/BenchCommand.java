package io.mmsearch.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mmsearch bench}: benchmarks that print their figures. One subcommand per benchmark; each
 * prints a readable table by default and one JSON object per line with {@code --json}.
 *
 * <p>The benchmarks live in their own module so that the CLI jar carries none of them; {@code
 * ./mmsearch bench ...} runs this class's {@link #main} on the benchmarks module's classpath.
 */
@Command(
    name = "mmsearch bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and print its figures (--json for one JSON object per line).",
    subcommands = {
      // one line per benchmark subcommand
      OrtOverheadBench.class,
      CloudBench.class,
      AnnBench.class,
      PreprocessBench.class,
      TrainBench.class,
      EncodeBench.class,
      TextEncodeBench.class,
      IndexBench.class,
      QueryBench.class,
      JmhBench.class,
      CommandLine.HelpCommand.class,
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line with every benchmark; separate from {@link #main} for tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    // Lucene logs its SIMD provider choice at INFO; benchmarks print their own figures.
    java.util.logging.Logger.getLogger("org.apache.lucene")
        .setLevel(java.util.logging.Level.WARNING);
    System.exit(commandLine().execute(args));
  }
}
