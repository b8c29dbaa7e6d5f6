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
import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.InvalidQueryException;
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

  @Mixin SearchTargetOptions target;

  @Option(names = "--image", description = "Query image file.")
  Path image;

  @Option(names = "--like", paramLabel = "ID", description = "More like the indexed document ID.")
  String like;

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

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--explain", description = "Show per-component scores (BM25, kNN, exact, fused).")
  boolean explain;

  @Override
  public Integer call() throws Exception {
    byte[] imageBytes = null;
    if (image != null) {
      try {
        imageBytes = ImageFileReader.withDefaultBudget().read(image);
      } catch (NoSuchFileException e) {
        System.err.println("mmsearch search: no such image file " + image);
        return 2;
      } catch (RefusedFileException e) {
        System.err.println("mmsearch search: " + e.getMessage());
        return 2;
      }
    }
    try (SearchSession session = target.openSession()) {
      SearchMode searchMode =
          keywordOnly
              ? SearchMode.KEYWORD
              : hybrid != null ? SearchMode.HYBRID : SearchMode.named(mode);
      SearchRequest.Builder request =
          searchMode.apply(session.parse(query, filter), String.join(" ", text));
      SearchRequest built =
          request
              .image(imageBytes)
              .likeId(like)
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
      System.err.println("mmsearch search: no index in " + target.index);
      return 1;
    } catch (InvalidBundleException e) {
      System.err.println("mmsearch search: " + e.getMessage());
      return 1;
    } catch (ModelMismatchException | InvalidQueryException | UnencodableInputException e) {
      System.err.println("mmsearch search: " + e.getMessage());
      return 2;
    }
  }

  private void printTable(SearchResults results, double tookMs, PrintStream out) {
    out.printf(
        "%d matches, showing %d (%.1f ms)%n",
        results.totalMatches(), results.hits().size(), tookMs);
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
