package io.mmsearch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
   * @param threadSetup runs once on each query thread before the clock starts (e.g. FAISS's
   *     per-thread OpenMP setting)
   */
  static Timed run(int queries, int threads, Runnable threadSetup, Search search) {
    int[][] answers = new int[queries][];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> ready = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ready.add(pool.submit(threadSetup));
      }
      await(ready);
      long start = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int q = next.getAndIncrement(); q < queries; q = next.getAndIncrement()) {
                    try {
                      answers[q] = search.top(q);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }
                }));
      }
      await(workers);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Timed(answers, queries / seconds);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(List<Future<?>> futures) {
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
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
