package io.mmsearch.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.lucene.encode.BundleQueryEncoder;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.SearchDepth;
import io.mmsearch.semantics.VectorTarget;
import io.mmsearch.tools.cloud.CloudSetup;
import io.mmsearch.tools.eval.AnnRecallEvaluation;
import io.mmsearch.tools.eval.AnnRecallEvaluation.AnnQueries;
import io.mmsearch.tools.eval.ComparedModel;
import io.mmsearch.tools.eval.ComparisonReport;
import io.mmsearch.tools.eval.CutoffEvaluation;
import io.mmsearch.tools.eval.DiversityEvaluation;
import io.mmsearch.tools.eval.EvalChart;
import io.mmsearch.tools.eval.EvalInputException;
import io.mmsearch.tools.eval.EvalLine;
import io.mmsearch.tools.eval.EvalMode;
import io.mmsearch.tools.eval.FeatureReport;
import io.mmsearch.tools.eval.FeedbackEvaluation;
import io.mmsearch.tools.eval.IndexedImages;
import io.mmsearch.tools.eval.ModelComparison;
import io.mmsearch.tools.eval.QueryOutcome;
import io.mmsearch.tools.eval.QuerySet;
import io.mmsearch.tools.eval.RetrievalEvaluation;
import io.mmsearch.tools.eval.ZeroShotEvaluation;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mmsearch eval}: measures retrieval quality of an index and a model against query sets with
 * known relevant documents, in every search mode, and prints the figures (one JSON object per line
 * with {@code --json}).
 *
 * <p>With {@code --compare OLD_INDEX:OLD_MODEL NEW_INDEX:NEW_MODEL} it evaluates two models on the
 * same query sets, each on its own index, and prints them side by side with the queries each wins
 * ({@link ModelComparison}).
 *
 * <p>Exit codes: 0 figures printed; 2 the inputs cannot give honest figures (empty query set, a
 * relevant id missing from the index, a model that does not match the index, an invalid bundle); 1
 * an unexpected failure.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure retrieval quality: Recall@1/5/10, MRR and nDCG@10 of text->image and image->image"
          + " queries in vector, BM25, RRF and linear modes; zero-shot class accuracy;"
          + " ANN-versus-exact recall.",
      "Query files are JSONL: {\"id\":..., \"text\":...} or {\"id\":..., \"image\":path},"
          + " optional \"keywords\", and \"relevant\":[doc ids].",
      "--compare OLD_INDEX:OLD_MODEL NEW_INDEX:NEW_MODEL evaluates two models side by side, with"
          + " per-query wins and losses (the rank of each query's first relevant document)."
    })
public final class EvalCommand implements Callable<Integer> {

  static final class Source {
    @Option(
        names = "--index",
        paramLabel = "DIR",
        description = "An index built with --model (e.g. by mmsearch index).")
    Path index;

    @Option(
        names = "--manifest",
        paramLabel = "FILE",
        description = "A manifest (JSONL/CSV) to index into a temporary folder first.")
    Path manifest;

    @Option(
        names = "--compare",
        arity = "2",
        paramLabel = "INDEX:MODEL",
        description =
            "Two indexes, each with the bundle it was built with (old first, then new): both are"
                + " evaluated on the same queries and printed side by side (no --model).")
    List<String> compare;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--model",
      paramLabel = "BUNDLE",
      description = "Model bundle (with --index or --manifest).")
  Path model;

  @Option(
      names = "--queries",
      paramLabel = "FILE",
      description = "Query set (JSONL); repeatable. Without one, only zero-shot and ANN figures.")
  List<Path> queries = new ArrayList<>();

  @Option(
      names = "--modes",
      split = ",",
      paramLabel = "MODE",
      description =
          "Search modes, comma-separated: vector, bm25, rrf, linear, caption (query text vector"
              + " against caption vectors), vector_caption (image and caption vectors joined by"
              + " RRF), both (joined by the weighted mean of their similarities), rrf_caption and"
              + " rrf_both (BM25 fused by RRF with caption vectors, or with both)"
              + " (default: vector, bm25, rrf, linear). The index built from --manifest stores"
              + " caption vectors only for a caption mode; an --index must have them for one.")
  EnumSet<EvalMode> modes =
      EnumSet.of(EvalMode.VECTOR, EvalMode.BM25, EvalMode.RRF, EvalMode.LINEAR);

  @Option(
      names = "--depth",
      defaultValue = "100",
      description =
          "Results read per query; MRR counts hits up to this rank (default ${DEFAULT-VALUE}).")
  int depth;

  @Option(
      names = "--rrf-k",
      defaultValue = "60",
      description = "RRF rank constant (default ${DEFAULT-VALUE}).")
  int rrfRankConstant;

  @Option(
      names = "--linear-vector-weight",
      defaultValue = "0.5",
      description =
          "Weight of the vector list in linear fusion; BM25 gets 1 minus it (default ${DEFAULT-VALUE}).")
  float linearVectorWeight;

  @Option(
      names = "--target-weights",
      defaultValue = "image:1,caption:1",
      paramLabel = "SPEC",
      description =
          "Targets and weights of the modes that join image and caption vectors (both, rrf_both),"
              + " e.g. image:1,caption:2 (default ${DEFAULT-VALUE}).")
  String targetWeights;

  @Option(
      names = "--ann-queries",
      defaultValue = "200",
      description =
          "Query vectors for ANN-versus-exact recall: the first N encoded queries, or, when no"
              + " query set is given, the captions of N sampled documents (held out: no such"
              + " vector is in the graph; sampled image vectors with themselves left out if no"
              + " document has a caption). The line names its source (default ${DEFAULT-VALUE}).")
  int annQueries;

  @Option(
      names = "--recall",
      paramLabel = "R",
      description =
          "Target recall@10 of the target_recall line: the default search (re-ranked, as many"
              + " candidates as the index's calibration chooses for R) checked against exact"
              + " search on the ANN queries (default: 0.98).")
  double targetRecall = SearchDepth.DEFAULT_TARGET_RECALL;

  @Option(
      names = "--num-candidates",
      defaultValue = "0",
      description = "HNSW candidates for ANN-versus-exact recall (0: k=10).")
  int numCandidates;

  @Option(
      names = "--cutoffs",
      description =
          "Also measure score cut-offs on the text queries: precision, recall and hits kept per"
              + " query at a grid of minimum scores and autocut, per list (image, caption, both,"
              + " bm25), and each list's score quantiles.")
  boolean cutoffs;

  @Option(
      names = "--diversity",
      paramLabel = "N",
      description =
          "Also measure near-duplicate collapse and MMR on the first N text queries of the first"
              + " query set (top 10s holding two images of one concept), and how well each image"
              + " cosine separates a concept's images from the others. A document's concept is its"
              + " manifest's 'concept' column, else its id after the first '-'.")
  int diversityQueries;

  @Option(
      names = "--feedback",
      description =
          "Also measure relevance feedback with a simulated user (residual Recall@10 after more"
              + " like the relevant hits of the top 10, less like its first two others).")
  boolean feedback;

  @Option(names = "--json", description = "One JSON object per line per task and mode.")
  boolean json;

  @Option(names = "--chart", paramLabel = "PNG", description = "Also write a bar chart (PNG).")
  Path chart;

  @Option(
      names = "--title",
      defaultValue = "mmsearch eval",
      description = "Chart title (default ${DEFAULT-VALUE}).")
  String title;

  @Spec CommandSpec spec;

  private final List<FeatureReport> reports = new ArrayList<>();

  /** A document's concept: its manifest's concept column, else its id after the first '-'. */
  private java.util.function.Function<String, String> conceptOf() throws IOException {
    Map<String, String> concepts = new java.util.HashMap<>();
    if (source.manifest != null) {
      for (ManifestEntry e : CloudSetup.entries(source.manifest)) {
        String c = e.metadata().get("concept");
        if (c != null) {
          concepts.put(e.id(), c);
        }
      }
    }
    return id -> {
      String c = concepts.get(id);
      if (c != null) {
        return c;
      }
      int dash = id.indexOf('-');
      return dash < 0 ? id : id.substring(dash + 1);
    };
  }

  private void printReports(PrintWriter out) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    for (FeatureReport r : reports) {
      if (json) {
        out.println(mapper.writeValueAsString(r.toJson()));
      } else {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s", r.task()));
        r.toJson()
            .forEach(
                (k, v) -> {
                  if (!k.equals("task")) {
                    line.append(' ').append(k).append('=').append(v);
                  }
                });
        out.println(line);
      }
    }
    out.flush();
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      if ((source.compare == null) == (model == null)) {
        err.println(
            "mmsearch eval: "
                + (model == null
                    ? "--model is required with --index or --manifest"
                    : "--compare names a model for each index; leave out --model"));
        return 2;
      }
      if (source.compare != null) {
        return compare(err);
      }
      List<EvalLine> lines = evaluate(err);
      print(lines, spec.commandLine().getOut());
      printReports(spec.commandLine().getOut());
      if (chart != null) {
        EvalChart.write(title, lines, chart);
        err.println("chart: " + chart.toAbsolutePath());
      }
      return 0;
    } catch (EvalInputException
        | ModelMismatchException
        | InvalidBundleException
        | io.mmsearch.semantics.InvalidQueryException e) {
      err.println("mmsearch eval: " + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("mmsearch eval: failed: " + e);
      return 1;
    } finally {
      err.flush();
    }
  }

  private int compare(PrintWriter err) throws IOException {
    List<ComparedModel> sides =
        List.of(
            ComparedModel.parse(source.compare.get(0), "old"),
            ComparedModel.parse(source.compare.get(1), "new"));
    List<QuerySet> sets = querySets(err);
    if (sets.isEmpty()) {
      throw new EvalInputException("--compare needs at least one --queries file to compare on");
    }
    List<ModelComparison.Side> evaluated = new ArrayList<>();
    for (ComparedModel side : sides) {
      try (DualEncoder encoder =
              Encoders.open(EncoderCriteria.builder().bundle(side.model()).build());
          Directory directory = FSDirectory.open(side.index())) {
        if (!DirectoryReader.indexExists(directory)) {
          throw new EvalInputException("no Lucene index in " + side.index());
        }
        ModelIdentity identity = new ModelIdentity(encoder.fingerprint(), encoder.dimension());
        // ANN-versus-exact recall measures the index's graph, not the model: left out here.
        Evaluation e = evaluate(directory, encoder, identity, sets, err, false);
        evaluated.add(new ModelComparison.Side(side.label(), e.lines(), e.perQuery()));
        err.println(
            "evaluated "
                + side.label()
                + ": "
                + side.index()
                + " with "
                + side.model()
                + " (model "
                + identity.fingerprint()
                + ")");
      }
    }
    ModelComparison comparison = ModelComparison.of(evaluated.get(0), evaluated.get(1));
    ComparisonReport report = new ComparisonReport(comparison);
    if (json) {
      report.printJson(spec.commandLine().getOut());
    } else {
      report.printText(spec.commandLine().getOut());
    }
    if (chart != null) {
      EvalChart.writeComparison(title, comparison, chart);
      err.println("chart: " + chart.toAbsolutePath());
    }
    return 0;
  }

  /** The query sets, read first: an empty or broken one fails before any indexing work. */
  private List<QuerySet> querySets(PrintWriter err) throws IOException {
    if (depth < 10) {
      throw new EvalInputException("--depth must be at least 10 (Recall@10), got " + depth);
    }
    if (modes.isEmpty()) {
      throw new EvalInputException("--modes names no mode");
    }
    if (!(targetRecall > 0 && targetRecall <= 1)) {
      throw new EvalInputException("--recall must be in (0, 1], got " + targetRecall);
    }
    // Read the query sets first: an empty or broken one fails before any indexing work.
    List<QuerySet> sets = new ArrayList<>();
    for (Path file : queries) {
      QuerySet set = QuerySet.read(file);
      set.problems().forEach(p -> err.println("skipped query: " + p));
      sets.add(set);
    }
    return sets;
  }

  private List<EvalLine> evaluate(PrintWriter err) throws IOException {
    List<QuerySet> sets = querySets(err);
    try (DualEncoder encoder = Encoders.open(EncoderCriteria.builder().bundle(model).build())) {
      ModelIdentity identity = new ModelIdentity(encoder.fingerprint(), encoder.dimension());
      Path temporary = null;
      try {
        Path indexDir;
        if (source.manifest != null) {
          temporary = Files.createTempDirectory("mmsearch-eval-");
          indexDir = temporary;
          buildIndex(source.manifest, indexDir, encoder, err);
        } else {
          indexDir = source.index;
        }
        try (Directory directory = FSDirectory.open(indexDir)) {
          if (!DirectoryReader.indexExists(directory)) {
            throw new EvalInputException("no Lucene index in " + indexDir);
          }
          return evaluate(directory, encoder, identity, sets, err, annQueries > 0).lines();
        }
      } finally {
        if (temporary != null) {
          deleteRecursively(temporary);
        }
      }
    }
  }

  /** What one evaluation gave: its lines and each query's own figures. */
  private record Evaluation(List<EvalLine> lines, List<QueryOutcome> perQuery) {}

  private Evaluation evaluate(
      Directory directory,
      DualEncoder encoder,
      ModelIdentity identity,
      List<QuerySet> sets,
      PrintWriter err,
      boolean annRecall)
      throws IOException {
    BundleQueryEncoder queryEncoder =
        new BundleQueryEncoder(encoder.text(), encoder.image(), identity);
    try (MultimodalSearcher searcher =
            MultimodalSearcher.builder()
                .directory(directory, identity)
                .queryEncoder(queryEncoder)
                .build();
        DirectoryReader reader = DirectoryReader.open(directory)) {
      IndexedImages index = IndexedImages.read(reader);
      RetrievalEvaluation retrieval =
          RetrievalEvaluation.builder()
              .searcher(searcher)
              .encoder(encoder)
              .index(index)
              .modes(modes)
              .depth(depth)
              .rrf(Fusion.rrf(rrfRankConstant))
              .linear(Fusion.linear(1f - linearVectorWeight, linearVectorWeight))
              .bothTargets(
                  VectorTarget.parseList(
                      "--target-weights",
                      targetWeights,
                      ImageSchema.IMAGE_VECTOR,
                      ImageSchema.CAPTION_VECTOR))
              .notes(note -> err.println("note: " + note))
              .build();
      List<EvalLine> lines = new ArrayList<>();
      List<QueryOutcome> perQuery = new ArrayList<>();
      List<float[]> queryVectors = new ArrayList<>();
      for (QuerySet set : sets) {
        RetrievalEvaluation.Outcome outcome = retrieval.run(set);
        lines.addAll(outcome.lines());
        perQuery.addAll(outcome.perQuery());
        queryVectors.addAll(outcome.queryVectors());
      }
      try {
        ZeroShotEvaluation.run(index, encoder.text())
            .ifPresentOrElse(
                lines::add,
                () -> err.println("note: zero_shot_class skipped: no document has a class"));
      } catch (EncodingException e) {
        err.println(
            "note: zero_shot_class skipped: a class name cannot be encoded: " + e.getMessage());
      }
      for (QuerySet set : sets) {
        if (cutoffs) {
          reports.addAll(
              CutoffEvaluation.run(
                  searcher, encoder, set, depth, note -> err.println("note: " + note)));
        }
        if (feedback) {
          reports.addAll(FeedbackEvaluation.run(searcher, set, depth));
        }
      }
      if (diversityQueries > 0 && !sets.isEmpty()) {
        reports.addAll(
            DiversityEvaluation.run(searcher, index, sets.get(0), diversityQueries, conceptOf()));
      }
      if (annRecall) {
        try (FlatExactIndex exact =
            ExactScorers.flatIndex(ExactScorers.configuredKind(), index.vectors())) {
          AnnQueries ann =
              queryVectors.isEmpty()
                  ? AnnQueries.heldOut(index, encoder.text(), annQueries, 42)
                  : AnnQueries.ofQuerySets(queryVectors, annQueries);
          lines.add(AnnRecallEvaluation.run(searcher, index, exact, ann, 10, numCandidates));
          // The promise checked: the default search against exact, once the searcher has a
          // calibration of this very layout (an index built here has one in its commit).
          try {
            if (!searcher.awaitRecallCalibration(ImageSchema.IMAGE_VECTOR, 10, TimeUnit.MINUTES)) {
              err.println("note: target_recall: the index's layout is not calibrated");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for the calibration");
          }
          lines.add(
              AnnRecallEvaluation.runTargetRecall(searcher, index, exact, ann, 10, targetRecall));
        }
      }
      return new Evaluation(lines, perQuery);
    }
  }

  /**
   * Indexes the manifest exactly as {@code mmsearch index} does (the same pipeline, fields and
   * defaults), so the figures describe an index that {@code index} builds.
   */
  private void buildIndex(Path manifest, Path indexDir, DualEncoder encoder, PrintWriter err)
      throws IOException {
    Path errors = indexDir.resolve("mmsearch-errors.jsonl");
    IndexingSummary summary;
    try (ErrorReport report = ErrorReport.create(errors)) {
      summary =
          IndexingPipeline.builder()
              .inputs(List.of(manifest))
              .index(indexDir)
              .encoders(encoder)
              .errors(report)
              // caption vectors change only the caption modes' figures; skip their encoding
              // cost when no caption mode is asked for
              .captionVectors(modes.stream().anyMatch(EvalMode::needsCaptionVectors))
              .build()
              .run();
    }
    for (String line : Files.readAllLines(errors)) {
      JsonNode problem = new ObjectMapper().readTree(line);
      err.println(
          "skipped: "
              + problem.path("item").asText()
              + " ("
              + problem.path("stage").asText()
              + "): "
              + problem.path("reason").asText());
    }
    if (summary.documents() == 0) {
      throw new EvalInputException("no image of " + manifest + " could be indexed");
    }
    err.println("indexed " + summary.documents() + " images of " + manifest);
  }

  private void print(List<EvalLine> lines, PrintWriter out) {
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      for (EvalLine line : lines) {
        try {
          out.println(mapper.writeValueAsString(line.toJson()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    } else {
      out.printf(
          Locale.ROOT,
          "%-16s %-7s %7s %6s %6s %6s %6s %7s  %s%n",
          "task",
          "mode",
          "queries",
          "R@1",
          "R@5",
          "R@10",
          "MRR",
          "nDCG@10",
          "other");
      for (EvalLine line : lines) {
        Map<String, Double> f = line.figures();
        StringBuilder other = new StringBuilder();
        f.forEach(
            (name, value) -> {
              if (!List.of("recall_at_1", "recall_at_5", "recall_at_10", "mrr", "ndcg_at_10")
                  .contains(name)) {
                other.append(String.format(Locale.ROOT, "%s=%.4g ", name, value));
              }
            });
        if (line.querySet() != null) {
          other.append("(").append(line.querySet()).append(")");
        }
        out.printf(
            Locale.ROOT,
            "%-16s %-7s %7d %6s %6s %6s %6s %7s  %s%n",
            line.task().jsonName(),
            line.mode().jsonName(),
            line.queries(),
            figure(f, "recall_at_1"),
            figure(f, "recall_at_5"),
            figure(f, "recall_at_10"),
            figure(f, "mrr"),
            figure(f, "ndcg_at_10"),
            other.toString().strip());
      }
    }
    out.flush();
  }

  private static String figure(Map<String, Double> figures, String name) {
    Double value = figures.get(name);
    return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static void deleteRecursively(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover temporary index is harmless; the figures are already computed.
    }
  }
}
