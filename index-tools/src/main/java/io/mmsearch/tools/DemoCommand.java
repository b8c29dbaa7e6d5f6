package io.mmsearch.tools;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.SearchResults;
import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.manifest.ManifestReader;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingSummary;
import io.mmsearch.tools.search.SearchMode;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.stats.IndexStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch demo}: indexes the shipped sample with the shipped default model into {@code
 * demo-index/} (ignored by git), runs one query of each kind and prints the {@code serve} command.
 * A second run reuses the index (unchanged images are skipped); an index built with another model
 * is rebuilt.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Index sample-data/ with the default model into demo-index/, run example queries (text,"
          + " image, hybrid, filtered) and print the command that opens the web UI."
    })
final class DemoCommand implements Callable<Integer> {
  private static final String IMAGE_QUERY_ID = "noto-1f431";
  private static final String FILTER_CLASS = "animals-nature";

  @Option(
      names = "--home",
      description =
          "Project folder holding sample-data/ (default: the checkout ./mmsearch runs from).")
  Path home = Path.of(System.getProperty("mmsearch.home", "."));

  @Option(names = "-k", description = "Results per query (default: ${DEFAULT-VALUE}).")
  int k = 5;

  @Option(names = "--no-progress", description = "No progress bar while indexing.")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    home = home.toAbsolutePath().normalize();
    Path model = home.resolve("sample-data/models/default");
    Path manifest = home.resolve("sample-data/manifest.jsonl");
    Path index = home.resolve("demo-index");
    PrintStream out = System.out;
    if (!Files.isRegularFile(model.resolve("bundle.json"))) {
      System.err.println(
          "mmsearch demo: the default model is not there yet ("
              + model
              + "/bundle.json is missing). It is produced by `./mmsearch train` on sample-data/;"
              + " see README.md.");
      return 2;
    }
    if (!Files.isRegularFile(manifest)) {
      System.err.println("mmsearch demo: the sample manifest " + manifest + " is missing.");
      return 2;
    }
    try (DualEncoder encoders =
        Encoders.open(EncoderCriteria.builder().bundle(model).intraOpThreads(1).build())) {
      ModelIdentity identity = new ModelIdentity(encoders.fingerprint(), encoders.dimension());
      if (builtWithAnotherModel(index, identity)) {
        out.println("demo-index/ was built with another model; rebuilding it.");
        deleteIndex(index);
      }
      out.printf(
          "Indexing %s with model %s ...%n", home.relativize(manifest), encoders.bundle().name());
      IndexingSummary summary;
      try (ErrorReport errors = ErrorReport.create(index.resolve("mmsearch-errors.jsonl"))) {
        IndexingPipeline pipeline =
            IndexingPipeline.builder()
                .inputs(List.of(manifest))
                .index(index)
                .encoders(encoders)
                .errors(errors)
                .deleteMissing(true)
                .build();
        summary = pipeline.run();
      }
      out.printf(
          "%d documents (%d added, %d updated, %d unchanged, %d rejected) in %.1f s%n%n",
          summary.documents(),
          summary.added(),
          summary.updated(),
          summary.unchanged(),
          summary.rejected(),
          summary.seconds());
    }
    try (SearchSession session = SearchSession.open(index, model)) {
      show(
          out,
          session,
          "Text: \"a happy smiling face\"",
          SearchRequest.builder().text("a happy smiling face"));
      Optional<ManifestEntry> imageQuery = imageQuery(manifest);
      if (imageQuery.isPresent()) {
        ManifestEntry e = imageQuery.get();
        show(
            out,
            session,
            "Image: " + home.relativize(e.image()) + " (" + e.caption() + ")",
            SearchRequest.builder().image(Files.readAllBytes(e.image())));
      }
      show(
          out,
          session,
          "Hybrid (BM25 + vectors, RRF): \"red heart\"",
          SearchMode.HYBRID.apply(SearchRequest.builder(), "red heart"));
      String filterClass = filterClass(index);
      show(
          out,
          session,
          "Filtered: \"small and cute\" with class:" + filterClass,
          session.parse(null, "class:\"" + filterClass + "\"").text("small and cute"));
    }
    out.println("Open the web UI with:");
    out.printf(
        "  ./mmsearch serve --index %s --model %s%n",
        home.relativize(index), home.relativize(model));
    out.println("then browse http://127.0.0.1:8080/");
    return 0;
  }

  private void show(
      PrintStream out, SearchSession session, String title, SearchRequest.Builder request)
      throws IOException {
    SearchResults results = session.search(request.k(k).size(k).build());
    out.println(title);
    int rank = 0;
    for (Hit h : results.hits()) {
      out.printf(
          "  %d. %-22s %.4f  %-16s %s%n",
          ++rank,
          h.id(),
          h.score(),
          h.className() == null ? "" : h.className(),
          h.caption() == null ? "" : h.caption());
    }
    out.println();
  }

  private static Optional<ManifestEntry> imageQuery(Path manifest) throws IOException {
    ManifestReader.Contents contents = ManifestReader.of(manifest).readAll();
    return contents.entries().stream()
        .filter(e -> e.id().equals(IMAGE_QUERY_ID))
        .findFirst()
        .or(() -> contents.entries().stream().findFirst());
  }

  /** {@value #FILTER_CLASS} if the sample has it, else its largest class. */
  private static String filterClass(Path index) throws IOException {
    Map<String, Long> classes = IndexStats.read(index).classes();
    if (classes.containsKey(FILTER_CLASS) || classes.isEmpty()) {
      return FILTER_CLASS;
    }
    return classes.keySet().iterator().next();
  }

  private static boolean builtWithAnotherModel(Path index, ModelIdentity identity)
      throws IOException {
    if (!Files.isDirectory(index)) {
      return false;
    }
    try (var dir = FSDirectory.open(index)) {
      if (!DirectoryReader.indexExists(dir)) {
        return false;
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        Optional<ModelIdentity> built =
            ModelIdentity.fromEntries(r.getIndexCommit().getUserData(), "commit user data");
        return built.isPresent() && !built.get().equals(identity);
      }
    }
  }

  private static void deleteIndex(Path index) throws IOException {
    try (Stream<Path> files = Files.walk(index)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
