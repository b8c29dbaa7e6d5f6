package io.mmsearch.tools;

import io.mmsearch.tools.search.SearchSession;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --index} and {@code --model} options of the verbs that search an existing index
 * ({@code search}, {@code serve}), mixed in with picocli's {@code @Mixin} so that both spell and
 * describe them alike.
 */
final class SearchTargetOptions {

  @Option(names = "--index", required = true, description = "Index folder.")
  Path index;

  @Option(
      names = "--model",
      required = true,
      description = "Model bundle the index was built with.")
  Path model;

  /**
   * Opens the index with the model; the caller closes the session.
   *
   * @see SearchSession#open(Path, Path)
   */
  SearchSession openSession() throws IOException {
    return SearchSession.open(index, model);
  }

  /** Opens the index with the model and a query-vector cache of this many entries (0: none). */
  SearchSession openSession(long queryCacheEntries) throws IOException {
    return SearchSession.open(index, model, queryCacheEntries);
  }
}
