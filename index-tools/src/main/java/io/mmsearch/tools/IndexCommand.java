package io.mmsearch.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingProgress;
import io.mmsearch.tools.ingest.IndexingSummary;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
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

  @Option(
      names = "--commit-every",
      paramLabel = "SECONDS",
      description = "Seconds between commits (default: ${DEFAULT-VALUE}).")
  long commitEvery = 60;

  @Option(
      names = "--vector-format",
      description = "HNSW vector format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  VectorFormat vectorFormat = VectorFieldConfig.DEFAULT.format();

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

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
          pipelineOptions
              .applyTo(IndexingPipeline.builder())
              .inputs(inputs)
              .index(index)
              .encoders(encoders)
              .errors(report)
              .commitIntervalSeconds(commitEvery)
              .deleteMissing(deleteMissing)
              .classFromFolder(classFromFolder)
              .confine(confine)
              .vectorFormat(vectorFormat)
              .build();
      CountDownLatch reported = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                pipeline.requestStop();
                try {
                  // Keep the JVM alive until what is in flight is committed and the summary shown.
                  reported.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "mmsearch-index-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        IndexingSummary summary;
        try (ProgressDisplay progress = noProgress ? null : new ProgressDisplay(pipeline)) {
          summary = pipeline.run();
        }
        removeShutdownHook(hook);
        print(summary, json ? System.out : System.err);
        return summary.stopped() ? 130 : 0;
      } finally {
        // Also on failure (e.g. a model mismatch): a hook left registered would hold the JVM's
        // exit for two minutes waiting for a summary that never comes.
        removeShutdownHook(hook);
        reported.countDown();
      }
    }
  }

  private static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Interrupted by a signal: the hook is running and waits for the summary.
    }
  }

  private void print(IndexingSummary s, PrintStream out) {
    if (json) {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("found", s.found());
      o.put("added", s.added());
      o.put("updated", s.updated());
      o.put("unchanged", s.unchanged());
      o.put("rejected", s.rejected());
      o.put("deleted", s.deleted());
      o.put("without_caption_vector", s.withoutCaptionVector());
      o.put("documents", s.documents());
      o.put("seconds", Math.round(s.seconds() * 1000) / 1000.0);
      o.put("items_per_s", Math.round(s.itemsPerSecond() * 10) / 10.0);
      ObjectNode stages = o.putObject("rejected_per_stage");
      s.rejectedPerStage().forEach(stages::put);
      o.put("errors", s.errorReport().toString());
      o.put("stopped", s.stopped());
      o.put("delete_missing_skipped", s.deleteMissingSkipped());
      out.println(o);
      return;
    }
    out.printf(
        "%s: %d found, %d added, %d updated, %d unchanged, %d rejected, %d deleted in %.1f s"
            + " (%.1f items/s); the index holds %d documents%n",
        s.stopped() ? "interrupted" : "done",
        s.found(),
        s.added(),
        s.updated(),
        s.unchanged(),
        s.rejected(),
        s.deleted(),
        s.seconds(),
        s.itemsPerSecond(),
        s.documents());
    if (s.rejected() > 0) {
      StringBuilder stages = new StringBuilder();
      for (Map.Entry<String, Long> e : s.rejectedPerStage().entrySet()) {
        stages
            .append(stages.isEmpty() ? "" : ", ")
            .append(e.getValue())
            .append(' ')
            .append(e.getKey());
      }
      out.printf("rejected by stage: %s; details in %s%n", stages, s.errorReport());
    }
    if (s.withoutCaptionVector() > 0) {
      out.printf(
          "%d image(s) indexed without a caption vector: the caption could not be encoded;"
              + " details in %s%n",
          s.withoutCaptionVector(), s.errorReport());
    }
    if (s.deleteMissingSkipped()) {
      out.println(
          "--delete-missing was not applied: "
              + (s.stopped() ? "the run was interrupted" : "an input could not be read through")
              + "; nothing was deleted.");
    }
    if (s.stopped()) {
      out.println("everything above is committed; run the same command again to complete.");
    }
  }

  /** Polls the pipeline and drives a console progress bar on stderr. */
  private static final class ProgressDisplay implements AutoCloseable {
    private final ProgressBar bar;
    private final Thread poller;

    ProgressDisplay(IndexingPipeline pipeline) {
      bar =
          new ProgressBarBuilder()
              .setTaskName("index")
              .setInitialMax(-1)
              .setStyle(ProgressBarStyle.ASCII)
              .setUnit(" files", 1)
              .showSpeed()
              .setUpdateIntervalMillis(500)
              .setConsumer(new ConsoleProgressBarConsumer(System.err))
              .build();
      poller =
          Thread.ofPlatform()
              .daemon()
              .name("mmsearch-progress")
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      update(pipeline.progress());
                      try {
                        Thread.sleep(250);
                      } catch (InterruptedException e) {
                        break;
                      }
                    }
                    update(pipeline.progress());
                  });
    }

    private void update(IndexingProgress p) {
      bar.maxHint(p.scanDone() ? p.found() : Math.max(p.found(), p.done()));
      bar.stepTo(p.done());
      bar.setExtraMessage(" errors: " + p.rejected() + (p.scanDone() ? "" : " (scanning)"));
    }

    @Override
    public void close() throws InterruptedException {
      poller.interrupt();
      poller.join();
      bar.close();
    }
  }
}
