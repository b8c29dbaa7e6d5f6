package io.mmsearch.tools;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmsearch index}: builds or updates an index from folders and manifests. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Index images from folders (recursive) and JSONL/CSV manifests into a Lucene index.",
      "Re-running skips unchanged images (content hash), updates changed ones and resumes an"
          + " interrupted run. Rejected items go to the error report; they never stop the run."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the run completed (rejected items, if any, are in the error report)",
      "1:the index or the model could not be used",
      "2:invalid command line",
      "130:interrupted by Ctrl-C (143 for SIGTERM); everything done so far is committed, re-run"
          + " to complete"
    })
final class IndexCommand implements Callable<Integer> {

  @Parameters(
      arity = "1..*",
      paramLabel = "INPUT",
      description = "Folders, manifests (.jsonl, .ndjson, .csv) or image files, in any mix.")
  List<Path> inputs;

  @Option(names = "--index", required = true, description = "Index folder (created if missing).")
  Path index;

  @Option(names = "--model", required = true, description = "Model bundle folder.")
  Path model;

  @Option(
      names = "--errors",
      description = "Error report (JSONL). Default: mmsearch-errors.jsonl inside the index folder.")
  Path errorsFile;

  @Option(names = "--class-from-folder", description = "Use a file's parent folder as its class.")
  boolean classFromFolder;

  @Option(
      names = "--confine",
      description =
          "Reject manifest image paths outside the manifest's folder even when absolute or file:"
              + " URIs (relative paths escaping it are always rejected).")
  boolean confine;

  @Option(
      names = "--delete-missing",
      description = "Delete documents whose images are no longer in the inputs.")
  boolean deleteMissing;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin IndexRunOptions run;

  @Override
  public Integer call() throws Exception {
    try {
      return index();
    } catch (ModelMismatchException | InvalidBundleException e) {
      System.err.println("mmsearch index: " + e.getMessage());
      return 1;
    }
  }

  private int index() throws Exception {
    Path errors = errorsFile != null ? errorsFile : index.resolve("mmsearch-errors.jsonl");
    Files.createDirectories(index);
    try (DualEncoder encoders =
            Encoders.open(EncoderCriteria.builder().bundle(model).intraOpThreads(1).build());
        ErrorReport report = ErrorReport.create(errors)) {
      IndexingPipeline pipeline =
          run.applyTo(pipelineOptions.applyTo(IndexingPipeline.builder()))
              .inputs(inputs)
              .index(index)
              .encoders(encoders)
              .errors(report)
              .deleteMissing(deleteMissing)
              .classFromFolder(classFromFolder)
              .confine(confine)
              .build();
      IndexingSummary summary = IndexingConsole.run(pipeline, run.progress(), "index", this::print);
      return summary.stopped() ? 130 : 0;
    }
  }

  private void print(IndexingSummary s) {
    if (run.json()) {
      System.out.println(IndexingConsole.toJson(s));
    } else {
      IndexingConsole.printText(s, System.err);
    }
  }
}
