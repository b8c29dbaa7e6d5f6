package io.mmsearch.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mmsearch} command line: one subcommand per verb. */
@Command(
    name = "mmsearch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Multimodal (text and image) search for Apache Lucene.",
    subcommands = {
      // one line per verb
      IndexCommand.class,
      StatsCommand.class,
      SearchCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      EvalCommand.class,
      TrainCommand.class,
      io.mmsearch.tools.bench.BenchCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class MmsearchCommand implements Runnable {

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
    System.exit(commandLine().execute(args));
  }
}
