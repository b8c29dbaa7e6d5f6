package io.mmsearch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.search.TaskExecutor;

/**
 * Runs one search per query on {@code threads} concurrent threads (each takes the next query until
 * none is left) and reports queries per second over the wall time: single-query throughput as a
 * server with that many request threads would see it.
 */
final class QueryTimer {
  private QueryTimer() {}

  /** One query's answer: the rows (data-set row numbers) of its top hits, best first. */
  interface Search {
    int[] top(int query) throws IOException;
  }

  /** Answers per query and the measured throughput. */
  record Timed(int[][] answers, double qps) {}

  /**
   * @param threadSetup runs on each query thread before the clock starts (e.g. FAISS's per-thread
   *     OpenMP setting); Lucene's {@link TaskExecutor} runs one share on the calling thread
   */
  static Timed run(int queries, int threads, Runnable threadSetup, Search search) {
    int[][] answers = new int[queries][];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      TaskExecutor tasks = new TaskExecutor(pool);
      List<Callable<Void>> setups = new ArrayList<>();
      List<Callable<Void>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        setups.add(
            () -> {
              threadSetup.run();
              return null;
            });
        workers.add(
            () -> {
              for (int q = next.getAndIncrement(); q < queries; q = next.getAndIncrement()) {
                answers[q] = search.top(q);
              }
              return null;
            });
      }
      tasks.invokeAll(setups);
      long start = System.nanoTime();
      tasks.invokeAll(workers);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Timed(answers, queries / seconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Mean recall@k of the answers against the exact top k, over the first {@code n} queries. */
  static double recall(int[][] truth, int[][] answers, int k) {
    double sum = 0;
    for (int q = 0; q < answers.length; q++) {
      int hit = 0;
      int[] expected = truth[q];
      int[] found = answers[q];
      for (int i = 0; i < Math.min(k, expected.length); i++) {
        for (int j = 0; j < Math.min(k, found.length); j++) {
          if (expected[i] == found[j]) {
            hit++;
            break;
          }
        }
      }
      sum += expected.length == 0 ? 1 : hit / (double) Math.min(k, expected.length);
    }
    return sum / answers.length;
  }
}
