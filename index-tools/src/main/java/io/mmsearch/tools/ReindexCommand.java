package io.mmsearch.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingSummary;
import io.mmsearch.tools.ingest.RefusedDocuments;
import io.mmsearch.tools.ingest.StoredIndexSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch reindex}: re-embeds every document of an index with another model into a new
 * index, from what the old index stores (image uri, caption, keywords, class, subclass), without
 * the manifests it was built from. The same pipeline as {@code mmsearch index} (read, check, encode
 * images and captions, write, commit), so it resumes the same way.
 */
@Command(
    name = "reindex",
    mixinStandardHelpOptions = true,
    description = {
      "Re-embed every document of an index with another model into a new index, from what the"
          + " index stores (image uri, caption, keywords, class, subclass); no manifest needed.",
      "Each image is read again from its stored uri; caption vectors are re-embedded too."
          + " Re-running resumes (unchanged documents are skipped). A document whose image is"
          + " gone is refused: it is named in the error report and written, with its stored"
          + " fields, to a manifest of refused documents (--refused); never dropped silently."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every document of the old index is in the new one",
      "1:an index or the model could not be used",
      "2:invalid command line",
      "3:the run completed, but some documents were refused (listed in --refused, reasons in the"
          + " error report)",
      "130:interrupted by Ctrl-C (143 for SIGTERM); everything done so far is committed, re-run"
          + " to complete"
    })
final class ReindexCommand implements Callable<Integer> {

  /** Exit code of a completed run that refused documents. */
  static final int SOME_REFUSED = 3;

  @Option(
      names = "--index",
      required = true,
      paramLabel = "OLD",
      description = "The index to re-embed (read only; any model, none needed).")
  Path oldIndex;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "BUNDLE",
      description = "The new model bundle.")
  Path model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "NEW",
      description = "The new index folder (created if missing; an earlier run's is resumed).")
  Path newIndex;

  @Option(
      names = "--errors",
      description = "Error report (JSONL). Default: mmsearch-errors.jsonl inside the new index.")
  Path errorsFile;

  @Option(
      names = "--refused",
      paramLabel = "FILE",
      description =
          "Manifest of the documents not re-embedded, with their stored fields (written only when"
              + " there are some). Default: mmsearch-refused.jsonl inside the new index.")
  Path refusedFile;

  @Option(
      names = "--delete-missing",
      description = "Delete documents of the new index that the old one no longer holds.")
  boolean deleteMissing;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin IndexRunOptions run;

  private long refused;

  @Override
  public Integer call() throws Exception {
    Path from = oldIndex.toAbsolutePath().normalize();
    Path to = newIndex.toAbsolutePath().normalize();
    if (from.equals(to) || (Files.exists(to) && Files.isSameFile(from, to))) {
      System.err.println(
          "mmsearch reindex: --out must be a new folder, not the index being re-embedded ("
              + to
              + ")");
      return 2;
    }
    try (Directory oldDirectory = FSDirectory.open(from)) {
      if (!DirectoryReader.indexExists(oldDirectory)) {
        System.err.println("mmsearch reindex: no index in " + from);
        return 1;
      }
      try (DirectoryReader old = DirectoryReader.open(oldDirectory)) {
        return reindex(old, from, to);
      }
    } catch (ModelMismatchException | InvalidBundleException e) {
      System.err.println("mmsearch reindex: " + e.getMessage());
      return 1;
    }
  }

  private int reindex(DirectoryReader old, Path from, Path to) throws Exception {
    Path errors = errorsFile != null ? errorsFile : to.resolve("mmsearch-errors.jsonl");
    Path refusedList = refusedFile != null ? refusedFile : to.resolve("mmsearch-refused.jsonl");
    Files.createDirectories(to);
    try (DualEncoder encoders =
            Encoders.open(EncoderCriteria.builder().bundle(model).intraOpThreads(1).build());
        ErrorReport report = ErrorReport.create(errors)) {
      IndexingPipeline pipeline =
          run.applyTo(pipelineOptions.applyTo(IndexingPipeline.builder()))
              .source(new StoredIndexSource(old, from))
              .index(to)
              .encoders(encoders)
              .errors(report)
              .deleteMissing(deleteMissing)
              .build();
      IndexingSummary summary =
          IndexingConsole.run(
              pipeline,
              run.progress(),
              "reindex",
              s -> {
                if (!s.stopped()) {
                  try (Directory written = FSDirectory.open(to)) {
                    refused = RefusedDocuments.write(old, written, refusedList);
                  }
                }
                print(s, old.numDocs(), refusedList);
              });
      return summary.stopped() ? 130 : refused > 0 ? SOME_REFUSED : 0;
    }
  }

  private void print(IndexingSummary s, int oldDocuments, Path refusedList) throws IOException {
    if (run.json()) {
      ObjectNode o = IndexingConsole.toJson(s);
      o.put("old_documents", oldDocuments);
      if (!s.stopped()) {
        o.put("refused", refused);
        if (refused > 0) {
          o.put("refused_manifest", refusedList.toString());
        }
      }
      System.out.println(o);
      return;
    }
    PrintStream out = System.err;
    IndexingConsole.printText(s, out);
    if (s.stopped()) {
      return;
    }
    if (refused == 0) {
      out.printf("all %d documents of the old index are in the new one%n", oldDocuments);
    } else {
      out.printf(
          "%d of the %d documents of the old index are NOT in the new one (reasons in %s); their"
              + " stored fields are in %s, a manifest: once their images are back, run mmsearch"
              + " index %s --index %s --model %s%n",
          refused, oldDocuments, s.errorReport(), refusedList, refusedList, newIndex, model);
    }
  }
}
