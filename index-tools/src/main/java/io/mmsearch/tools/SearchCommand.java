package io.mmsearch.tools;

import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.error.UnencodableInputException;
import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.encoders.image.RefusedFileException;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.lucene.search.FacetCount;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.SearchResults;
import io.mmsearch.semantics.Diversity;
import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.VectorTarget;
import io.mmsearch.semantics.Weighted;
import io.mmsearch.tools.search.RequestOptions;
import io.mmsearch.tools.search.ResultsJson;
import io.mmsearch.tools.search.SearchMode;
import io.mmsearch.tools.search.SearchSession;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.lucene.index.IndexNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmsearch search}: one query against an index, printed as a table or JSON. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Search an index by text, image, similar document, keywords or a parsed query.",
      "Examples:",
      "  mmsearch search --index idx --model m \"red apple\"",
      "  mmsearch search --index idx --model m --image cat.png --filter 'class:animals-nature'",
      "  mmsearch search --index idx --model m \"smiling face\" --hybrid rrf --explain",
      "  mmsearch search --index idx --model m -q 'near:\"a cat\" +class:animals-nature'"
    })
final class SearchCommand implements Callable<Integer> {

  @Parameters(
      arity = "0..*",
      paramLabel = "TEXT",
      description = "Free text, searched as --mode says (default: hybrid, BM25 and vectors fused).")
  List<String> text = new ArrayList<>();

  @Mixin SearchTargetOptions index;

  @Option(names = "--image", description = "Query image file.")
  Path image;

  @Option(
      names = "--like",
      paramLabel = "ID[^W]",
      description =
          "More like the indexed document ID (repeatable; ^W weighs it, default 1). Examples are"
              + " left out of the results.")
  List<String> like = new ArrayList<>();

  @Option(
      names = "--unlike",
      paramLabel = "ID[^W]",
      description =
          "Less like the indexed document ID (repeatable; ^W weighs it, default "
              + RequestOptions.DEFAULT_NEGATIVE_WEIGHT
              + "). Needs something to look for besides.")
  List<String> unlike = new ArrayList<>();

  @Option(
      names = "--like-text",
      paramLabel = "TEXT[^W]",
      description = "More like this text, embedded (repeatable; ^W weighs it, default 1).")
  List<String> likeText = new ArrayList<>();

  @Option(
      names = "--unlike-text",
      paramLabel = "TEXT[^W]",
      description = "Less like this text, embedded (repeatable; ^W weighs it).")
  List<String> unlikeText = new ArrayList<>();

  @Option(
      names = "--like-image",
      paramLabel = "FILE[^W]",
      description = "More like this image file (repeatable; ^W weighs it, default 1).")
  List<String> likeImage = new ArrayList<>();

  @Option(
      names = "--unlike-image",
      paramLabel = "FILE[^W]",
      description = "Less like this image file (repeatable; ^W weighs it).")
  List<String> unlikeImage = new ArrayList<>();

  @Option(
      names = "--target",
      paramLabel = "image|caption|both|SPEC",
      description =
          "Vector fields the query vector is matched against: image vectors, caption vectors,"
              + " both, or weighted, e.g. image:1,caption:2 (default: "
              + RequestOptions.DEFAULT_TEXT_TARGET
              + " for a query with text, "
              + VectorTarget.DEFAULT_SPEC
              + " otherwise).")
  String target;

  @Option(
      names = "--target-join",
      paramLabel = "mean|rrf",
      description =
          "How several targets join: weighted mean of their similarities (default) or RRF.")
  String targetJoin;

  @Option(
      names = "--min-score",
      paramLabel = "S",
      description =
          "Minimum similarity of the vector list, (1 + cos) / 2 in [0, 1], before fusion.")
  String minScore;

  @Option(
      names = "--keyword-min-score",
      paramLabel = "S",
      description = "Minimum BM25 score of the keyword list, before fusion.")
  String keywordMinScore;

  @Option(
      names = "--autocut",
      paramLabel = "N",
      description = "Cut each list before fusion at its N-th jump in score.")
  String autocut;

  @Option(
      names = "--mmr",
      paramLabel = "LAMBDA",
      description =
          "Diversify by maximal marginal relevance over the top 100: 1 keeps the ranking, lower"
              + " values favour variety.")
  String mmr;

  @Option(
      names = "--collapse",
      description =
          "Collapse near-duplicates (same content hash, or image cosine >= "
              + Diversity.DEFAULT_COLLAPSE_COSINE
              + ") into the best of them; the collapsed ids are shown.")
  boolean collapse;

  @Option(
      names = "--collapse-cosine",
      paramLabel = "C",
      description = "Collapse near-duplicates at this image-vector cosine (implies --collapse).")
  String collapseCosine;

  @Option(names = "--keywords", description = "Keywords for BM25 over captions and keywords.")
  String keywords;

  @Option(
      names = {"-q", "--query"},
      description = "Query in the parser syntax: fields, AND/OR/NOT, near:\"text\", like:ID.")
  String query;

  @Option(
      names = "--filter",
      description = "Filter in the parser syntax, e.g. 'class:food-drink AND width:[1 TO 64]'.")
  String filter;

  @Option(names = "--class", paramLabel = "CLASS", description = "Only these classes (repeatable).")
  List<String> classes = new ArrayList<>();

  @Option(
      names = "--mode",
      paramLabel = "keyword|vector|hybrid",
      description =
          "How TEXT is searched: BM25 only, vectors only, or both fused (default: hybrid, the"
              + " best measured; SearchMode.DEFAULT).")
  String mode;

  @Option(
      names = "--hybrid",
      paramLabel = "rrf|linear",
      description = "Search TEXT in hybrid mode, fusing with rrf (default) or linear.")
  String hybrid;

  @Option(names = "--keyword-only", description = "Search TEXT with BM25 only (= --mode keyword).")
  boolean keywordOnly;

  @Option(names = "-k", description = "Number of results (default: ${DEFAULT-VALUE}).")
  int k = 10;

  @Option(names = "--from", description = "Offset of the first result (default: 0).")
  int from;

  @Option(
      names = "--recall",
      paramLabel = "R",
      description =
          "Target recall@k of the vector search, in (0, 1] (default: 0.98): the index's own"
              + " calibration says how many candidates reach it for this kind of query.")
  Double recall;

  @Option(
      names = "--oversample",
      paramLabel = "F",
      description =
          "Expert override of --recall: fetch ceil(k x F) candidates, F >= 1 (default: not set).")
  Float oversample;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(
      names = "--explain",
      description =
          "Show per-component scores (BM25, kNN, exact, fused) and the vector search's candidates"
              + " and estimated recall.")
  boolean explain;

  @Override
  public Integer call() throws Exception {
    byte[] imageBytes = null;
    if (image != null) {
      try {
        imageBytes = ImageFileReader.withDefaultBudget().read(image);
      } catch (NoSuchFileException e) {
        System.err.println("mmsearch search: --image: no such image file " + image);
        return 2;
      } catch (RefusedFileException e) {
        System.err.println("mmsearch search: " + e.getMessage());
        return 2;
      }
    }
    // One query: no time to measure a layout the commit does not describe; use what it holds.
    try (SearchSession session = index.openOneShotSession()) {
      SearchMode searchMode =
          keywordOnly
              ? SearchMode.KEYWORD
              : hybrid != null ? SearchMode.HYBRID : SearchMode.named(mode);
      SearchRequest.Builder request =
          searchMode.apply(session.parse(query, filter), String.join(" ", text));
      new RequestOptions(
              target,
              targetJoin,
              minScore,
              keywordMinScore,
              autocut,
              mmr,
              collapse,
              collapseCosine,
              like,
              unlike,
              likeText,
              unlikeText)
          .applyTo(request, RequestOptions.Names.COMMAND_LINE);
      addImages(request, "--like-image", likeImage, false);
      addImages(request, "--unlike-image", unlikeImage, true);
      if (recall != null) {
        request.targetRecall(named("--recall", recall));
      }
      if (oversample != null) {
        request.oversample(oversample);
      }
      SearchRequest built =
          request
              .image(imageBytes)
              .keywords(keywords)
              .classes(classes)
              .fusion(hybrid != null ? Fusion.named(hybrid) : Fusion.rrf())
              .k(k)
              .size(k)
              .from(from)
              .build();
      long start = System.nanoTime();
      SearchResults results = session.search(built);
      double tookMs = (System.nanoTime() - start) / 1e6;
      if (json) {
        System.out.println(ResultsJson.toJson(results, from, explain, true, tookMs));
      } else {
        printTable(results, tookMs, System.out);
      }
      return 0;
    } catch (IndexNotFoundException e) {
      System.err.println("mmsearch search: no index in " + index.index);
      return 1;
    } catch (InvalidBundleException e) {
      System.err.println("mmsearch search: " + e.getMessage());
      return 1;
    } catch (ModelMismatchException | InvalidQueryException | UnencodableInputException e) {
      System.err.println("mmsearch search: " + e.getMessage());
      return 2;
    }
  }

  /** The target recall, refused naming the option if outside (0, 1]. */
  private static double named(String option, double targetRecall) {
    if (!(targetRecall > 0 && targetRecall <= 1)) {
      throw new InvalidQueryException(option + " must be in (0, 1], got " + targetRecall);
    }
    return targetRecall;
  }

  /** Adds image files as positive or negative examples, {@code FILE} or {@code FILE^W}. */
  private static void addImages(
      SearchRequest.Builder request, String option, List<String> files, boolean negative)
      throws java.io.IOException {
    for (String spec : files) {
      Weighted w =
          Weighted.parse(option, spec, negative ? RequestOptions.DEFAULT_NEGATIVE_WEIGHT : 1f);
      Path file = Path.of(w.value());
      byte[] bytes;
      try {
        bytes = ImageFileReader.withDefaultBudget().read(file);
      } catch (NoSuchFileException e) {
        throw new InvalidQueryException(option + ": no such image file " + file);
      } catch (RefusedFileException e) {
        throw new InvalidQueryException(option + ": " + e.getMessage());
      }
      if (negative) {
        request.unlikeImage(bytes, w.weight());
      } else {
        request.image(bytes, w.weight());
      }
    }
  }

  private void printTable(SearchResults results, double tookMs, PrintStream out) {
    out.printf(
        "%d matches, showing %d (%.1f ms)%n",
        results.totalMatches(), results.hits().size(), tookMs);
    if (explain) {
      results.recall().ifPresent(r -> out.println("vector search: " + r));
    }
    if (results.hits().isEmpty()) {
      return;
    }
    int idWidth =
        Math.max(2, results.hits().stream().mapToInt(h -> h.id().length()).max().orElse(2));
    int classWidth =
        Math.max(
            5,
            results.hits().stream()
                .mapToInt(h -> h.className() == null ? 0 : h.className().length())
                .max()
                .orElse(5));
    String format = "%4s  %-" + idWidth + "s  %8s  %-" + classWidth + "s  %s%n";
    out.printf(format, "#", "id", "score", "class", "caption" + (explain ? " / explanation" : ""));
    int rank = from;
    for (Hit h : results.hits()) {
      out.printf(
          format,
          ++rank,
          h.id(),
          String.format("%.4f", h.score()),
          h.className() == null ? "" : h.className(),
          abbreviate(h.caption(), 60));
      if (!h.duplicates().isEmpty()) {
        out.printf(
            "%" + (idWidth + 6) + "s  + %d near-duplicate%s collapsed: %s%n",
            "",
            h.duplicates().size(),
            h.duplicates().size() == 1 ? "" : "s",
            String.join(", ", h.duplicates()));
      }
      if (explain) {
        out.printf("%" + (idWidth + 6) + "s  %s%n", "", h.explanation());
      }
    }
    if (!results.classCounts().isEmpty()) {
      StringBuilder facets = new StringBuilder("classes:");
      for (FacetCount f : results.classCounts()) {
        facets.append(' ').append(f.value()).append(" (").append(f.count()).append(')');
      }
      out.println(facets);
    }
  }

  private static String abbreviate(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }
}
