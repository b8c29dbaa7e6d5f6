package io.mmsearch.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mmsearch bench}: benchmarks that print their figures. One subcommand per benchmark; each
 * prints a readable table by default and one JSON object per line with {@code --json}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and print its figures (--json for one JSON object per line).",
    subcommands = {
      // one line per benchmark subcommand
      OrtOverheadBench.class,
      AnnBench.class,
      PreprocessBench.class,
      TrainBench.class,
      EncodeBench.class,
      IndexBench.class,
      QueryBench.class,
      CommandLine.HelpCommand.class,
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
