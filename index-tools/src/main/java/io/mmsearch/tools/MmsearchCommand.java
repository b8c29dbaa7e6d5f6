package io.mmsearch.tools;

import org.apache.lucene.store.LockObtainFailedException;
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
      ReindexCommand.class,
      StatsCommand.class,
      SearchCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      EvalCommand.class,
      TrainCommand.class,
      CloudCommand.class,
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
    return new CommandLine(new MmsearchCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(MmsearchCommand::handle);
  }

  /**
   * Turns failures a user causes and can fix into one line naming the cause, exit code 1; anything
   * else keeps picocli's default (the stack trace: a bug to report).
   */
  private static int handle(Exception e, CommandLine command, CommandLine.ParseResult parseResult)
      throws Exception {
    if (e instanceof LockObtainFailedException) {
      command
          .getErr()
          .println(
              "mmsearch "
                  + command.getCommandName()
                  + ": the index is locked by another writer, most likely another `mmsearch"
                  + " index` run on the same folder; wait for it to finish (Lucene says: "
                  + e.getMessage()
                  + ")");
      command.getErr().flush();
      return 1;
    }
    throw e;
  }

  public static void main(String[] args) {
    LUCENE_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(commandLine().execute(args));
  }
}
