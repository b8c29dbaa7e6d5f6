package io.mmsearch.tools;

import io.mmsearch.tools.bundle.RefingerprintCommand;
import io.mmsearch.tools.bundle.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mmsearch bundle}: work on a model bundle directory. */
@Command(
    name = "bundle",
    mixinStandardHelpOptions = true,
    description = "Check a model bundle, or recompute its fingerprint after a deliberate edit.",
    subcommands = {VerifyCommand.class, RefingerprintCommand.class})
final class BundleCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
