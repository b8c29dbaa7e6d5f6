package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch bench jmh}: the micro-benchmarks, under JMH (forked JVMs, warm-up, error bars).
 * Today: {@link RerankBenchmark}, the exact re-rank step of a search by each re-rank query.
 */
@Command(
    name = "jmh",
    mixinStandardHelpOptions = true,
    description = {
      "Micro-benchmarks under JMH: the exact re-rank of 100 and 1,000 kNN candidates (256-d) by"
          + " Lucene's RescoreTopNQuery, the Java block scorer and FAISS.",
      "Without --json, JMH prints its own progress and result table."
    })
final class JmhBench implements Callable<Integer> {

  @Option(
      names = "--include",
      description = "Regular expression of the benchmarks to run (default: ${DEFAULT-VALUE}).")
  String include = RerankBenchmark.class.getSimpleName();

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=V1,V2",
      description = "Override a benchmark parameter, e.g. -p candidates=100 (repeatable).")
  List<String> params = new ArrayList<>();

  @Option(names = "--forks", description = "Forked JVMs per benchmark (default: as annotated).")
  Integer forks;

  @Option(names = "--warmup-iterations", description = "Warm-up iterations (default: annotated).")
  Integer warmupIterations;

  @Option(names = "--iterations", description = "Measured iterations (default: as annotated).")
  Integer iterations;

  @Option(names = "--json", description = "Print one JSON object per result instead.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder().include(include);
    for (String param : params) {
      int eq = param.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("-p expects NAME=V1,V2, got '" + param + "'");
      }
      options.param(param.substring(0, eq), param.substring(eq + 1).split(","));
    }
    if (forks != null) {
      options.forks(forks);
    }
    if (warmupIterations != null) {
      options.warmupIterations(warmupIterations);
    }
    if (iterations != null) {
      options.measurementIterations(iterations);
    }
    if (json) {
      options.verbosity(VerboseMode.SILENT);
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      for (RunResult run : results) {
        Result<?> r = run.getPrimaryResult();
        ObjectNode o = mapper.createObjectNode();
        o.put("bench", "jmh");
        o.put("benchmark", run.getParams().getBenchmark());
        ObjectNode p = o.putObject("params");
        for (String key : run.getParams().getParamsKeys()) {
          p.put(key, run.getParams().getParam(key));
        }
        o.put("mode", run.getParams().getMode().shortLabel());
        o.put("score", BenchInputs.round(r.getScore(), 3));
        o.put("error", BenchInputs.round(r.getScoreError(), 3));
        o.put("unit", r.getScoreUnit());
        o.put("samples", r.getSampleCount());
        o.put("load_average", BenchInputs.round(BenchInputs.loadAverage(), 2));
        System.out.println(o);
      }
    }
    return results.isEmpty() ? 1 : 0;
  }
}
