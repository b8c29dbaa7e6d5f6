package io.mmsearch.bench;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The inputs shared by the benchmarks that build an index from augmented sample images ({@code
 * bench index}, {@code bench query}): the model, the sample manifest and the work folder, mixed in
 * with picocli's {@code @Mixin}. Defaults come from {@link BenchInputs}.
 */
final class SampleCorpusOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--model",
      paramLabel = "BUNDLE",
      description = "Model bundle (default: sample-data/models/default if it exists).")
  Path model;

  @Option(
      names = "--samples",
      paramLabel = "MANIFEST",
      description =
          "Manifest of the sample images (augmented) and captions (default:"
              + " sample-data/manifest.jsonl).")
  Path samples;

  @Option(
      names = "--work-dir",
      description = "Folder for the images and the index (default: a temporary folder, deleted).")
  Path workDir;

  /**
   * The model bundle to use.
   *
   * @throws ParameterException if {@code --model} is absent and there is no default model
   */
  Path bundle() {
    return BenchInputs.model(model, mixee.commandLine());
  }

  /** {@code --samples}, else the checkout's sample manifest. */
  Path manifest() {
    return samples != null ? samples : BenchInputs.sampleManifest();
  }

  /**
   * {@code --work-dir}, else a new temporary folder named after {@code prefix}; see {@link
   * WorkFolder}.
   */
  WorkFolder workFolder(String prefix) throws IOException {
    return WorkFolder.of(workDir, prefix);
  }
}
