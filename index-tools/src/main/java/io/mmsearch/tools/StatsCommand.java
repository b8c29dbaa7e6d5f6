package io.mmsearch.tools;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.tools.stats.CalibrationJson;
import io.mmsearch.tools.stats.IndexStats;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.index.IndexNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mmsearch stats}: what an index holds. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description =
        "Show documents, classes, vector format, model fingerprint, size, segments and the"
            + " index's recall calibration (candidates per target recall).")
final class StatsCommand implements Callable<Integer> {

  @Option(names = "--index", required = true, description = "Index folder.")
  Path index;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    IndexStats s;
    try {
      s = IndexStats.read(index);
    } catch (IndexNotFoundException e) {
      System.err.println("mmsearch stats: no index in " + index);
      return 1;
    }
    if (json) {
      System.out.println(s.toJson());
      return 0;
    }
    System.out.printf("index        %s%n", index.toAbsolutePath());
    System.out.printf(
        "documents    %d (%d deleted, not yet merged away)%n", s.documents(), s.deletedDocuments());
    System.out.printf(
        "model        %s%n", s.model().map(ModelIdentity::toString).orElse("(none recorded)"));
    for (Map.Entry<String, IndexStats.VectorField> e : s.vectorFields().entrySet()) {
      IndexStats.VectorField f = e.getValue();
      System.out.printf(
          "vectors      %s: %d x %d-d %s, format %s%n",
          e.getKey(), f.documents(), f.dimension(), f.similarity(), String.join(", ", f.formats()));
    }
    System.out.printf(
        "size         %,d bytes on disk in %d segments (commit %d)%n",
        s.bytesOnDisk(), s.segments(), s.commitGeneration());
    if (s.recall().isEmpty()) {
      System.out.println(
          "recall       not calibrated (mmsearch index measures it; searches fetch 4 candidates"
              + " per hit until then)");
    }
    s.recall()
        .forEach(
            (field, c) ->
                System.out.printf(
                    "recall       %s, candidates per target recall@%d: %s%n",
                    field,
                    CalibrationJson.WINDOW,
                    CalibrationJson.text(c.calibration(), c.current())));
    System.out.printf("classes      %d%n", s.classes().size());
    s.classes().forEach((name, count) -> System.out.printf("  %8d  %s%n", count, name));
    return 0;
  }
}
