package io.mmsearch.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingProgress;
import io.mmsearch.tools.ingest.IndexingSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How the verbs that run an {@link IndexingPipeline} ({@code index}, {@code reindex}) behave on the
 * console: a progress bar on stderr, Ctrl-C (or SIGTERM) stopping the run with what is in flight
 * committed, and the summary.
 */
final class IndexingConsole {

  private IndexingConsole() {}

  /**
   * Runs the pipeline; Ctrl-C asks it to stop and keeps the JVM alive until the summary is printed
   * by {@code report}.
   *
   * @param taskName the progress bar's label
   * @param report prints the summary (and whatever else the verb prints after the run)
   */
  static IndexingSummary run(
      IndexingPipeline pipeline, boolean progress, String taskName, SummaryPrinter report)
      throws Exception {
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
            "mmsearch-" + taskName + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      IndexingSummary summary;
      try (ProgressDisplay display = progress ? new ProgressDisplay(pipeline, taskName) : null) {
        summary = pipeline.run();
      }
      removeShutdownHook(hook);
      report.print(summary);
      return summary;
    } finally {
      // Also on failure (e.g. a model mismatch): a hook left registered would hold the JVM's
      // exit for two minutes waiting for a summary that never comes.
      removeShutdownHook(hook);
      reported.countDown();
    }
  }

  /** Prints what a run did, after it returned. */
  @FunctionalInterface
  interface SummaryPrinter {
    void print(IndexingSummary summary) throws IOException;
  }

  private static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Interrupted by a signal: the hook is running and waits for the summary.
    }
  }

  /** The summary as the JSON object {@code --json} prints. */
  static ObjectNode toJson(IndexingSummary s) {
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
    return o;
  }

  /** The summary as text lines. */
  static void printText(IndexingSummary s, PrintStream out) {
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

    ProgressDisplay(IndexingPipeline pipeline, String taskName) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(taskName)
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
