package io.mmsearch.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Indexes the shipped sample with the shipped default model and runs example queries. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Index sample-data/ with the default model and run example queries.")
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--home",
      description =
          "Project folder holding sample-data/ (default: the checkout ./mmsearch runs from).")
  Path home = Path.of(System.getProperty("mmsearch.home", "."));

  @Override
  public Integer call() {
    Path model = home.resolve("sample-data/models/default");
    if (!Files.isRegularFile(model.resolve("bundle.json"))) {
      System.err.println(
          "mmsearch demo: the default model is not there yet ("
              + model
              + "/bundle.json is missing). It is produced by `./mmsearch train` on sample-data/;"
              + " see README.md.");
      return 2;
    }
    System.err.println("mmsearch demo: not implemented yet in this build.");
    return 2;
  }
}
