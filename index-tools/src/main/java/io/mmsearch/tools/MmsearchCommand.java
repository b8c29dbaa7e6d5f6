package io.mmsearch.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mmsearch} command line: one subcommand per verb. */
@Command(
    name = "mmsearch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Multimodal (text and image) search for Apache Lucene.",
    footer = {
      "",
      "Benchmarks: ./mmsearch bench --help (the benchmarks module, kept out of this jar)."
    },
    subcommands = {
      // one line per verb
      IndexCommand.class,
      StatsCommand.class,
      SearchCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      EvalCommand.class,
      TrainCommand.class,
      BundleCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class MmsearchCommand implements Runnable {

  /**
   * Lucene logs its SIMD provider choice at INFO through java.util.logging; the CLI's output is
   * what the verb prints, warnings still come through. Held in a field because JUL keeps loggers
   * weakly.
   */
  private static final java.util.logging.Logger LUCENE_LOG =
      java.util.logging.Logger.getLogger("org.apache.lucene");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line with every verb; separate from {@link #main} so tests can run it. */
  public static CommandLine commandLine() {
    return new CommandLine(new MmsearchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    LUCENE_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(commandLine().execute(args));
  }
}
