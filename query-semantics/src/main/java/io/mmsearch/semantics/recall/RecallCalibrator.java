package io.mmsearch.semantics.recall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Measures an index's own vector search: how much of the exact top {@code w} a kNN search finds
 * when it fetches {@code c} candidates, for a ladder of counts, on the index's actual segment
 * layout. The result ({@link RecallCalibration}) tells later searches how many candidates a target
 * recall needs.
 *
 * <ol>
 *   <li><b>Queries.</b> Image-like: {@link Settings#imageQueries()} new vectors drawn around
 *       indexed ones. An indexed vector itself is a poor stand-in for a new image: it is a node of
 *       the graph whose edges lead straight to its neighbours, so the search finds them more easily
 *       than for a vector that is no node (on {@code real-image} at 30,000 documents, indexed
 *       vectors searched with themselves left out reached recall@10 0.984 with 10 candidates, new
 *       augmented images 0.971). Each query is therefore a random indexed vector moved by a
 *       Gaussian combination of the offsets to its 10 nearest neighbours (weights of variance 1/10:
 *       {@link #NEIGHBOURHOOD_SPREAD}), normalised: a new point of the same neighbourhood, and no
 *       node. Text-like: up to {@link Settings#textQueries()} vectors from a {@link TextQueries}
 *       source.
 *   <li><b>Truth.</b> One pass over every live full-precision vector ({@link
 *       CalibrationIndex#scan}), scoring it against every query: the exact top {@code w} of each
 *       query, unfiltered and under each calibrated filter. Ties: lower id first, as Lucene.
 *   <li><b>Ladder.</b> Each query searched with the engine's own search ({@link
 *       CalibrationIndex#search}) at counts growing by {@link Settings#ladderStep()} from the
 *       smallest window, until every window's mean recall reaches {@link Settings#ceiling()}, the
 *       count reaches {@link Settings#maxCandidates()} or the documents, or {@link
 *       Settings#budget()} runs out. One search at count {@code c} gives recall@w for every window
 *       {@code w <= c}: with exact re-rank the answer is the best {@code w} of the candidates, so
 *       recall@w is the share of the exact top {@code w} among them (without re-rank: among the
 *       first {@code w} by the graph's score).
 *   <li><b>Filters.</b> For each of {@link Settings#selectivities()}, the same with a seeded {@link
 *       RandomSubset} of that share of the documents (uncorrelated with the vectors).
 * </ol>
 *
 * Cost: queries × documents dot products for the truth, plus queries × ladder steps searches,
 * spread over the executor's threads if one is given; {@code mmsearch bench ann} prints it beside
 * the index's build time. A calibrator holds no state between calls: one may serve several threads.
 * Lucene-free: the embedded index and the Solr plugin measure with the same code.
 */
public final class RecallCalibrator {
  /** Neighbours whose offsets move an indexed vector to a new image-like query. */
  static final int NEIGHBOURS = 10;

  /**
   * How far a neighbourhood query moves from its indexed vector, relative to the root-mean-square
   * distance of that vector's neighbours: 1, "as far from its seed as the seed's neighbours are".
   * Measured against held-out augmented images on {@code real-image} (recall@10 at 10 / 15 / 23
   * candidates, int8, one segment; docs/benchmarks.md, "Target recall"): 10,000 documents, held-out
   * 0.969 / 0.986 / ~0.995, spread 1 0.964 / 0.989 / 0.997 (spread 1/√2: 0.975 / 0.994 / 0.999,
   * optimistic); 30,000, held-out 0.971 / 0.988 / ~0.994, spread 1 0.967 / 0.983 / 0.993; 100,000,
   * held-out 0.971 / 0.991 / ~0.995, spread 1 0.951 / 0.976 / 0.990 (pessimistic: image queries
   * then fetch a few more candidates than they need, which costs little beside text queries).
   * Indexed vectors themselves, left out of their own search, were far too optimistic (0.984 at 10
   * candidates, 30,000 documents).
   */
  static final double NEIGHBOURHOOD_SPREAD = 1.0;

  /** Queries per task when an executor spreads the work. */
  private static final int QUERIES_PER_TASK = 25;

  /**
   * How a calibration measures.
   *
   * @param imageQueries image-like queries (new vectors around indexed ones)
   * @param textQueries text vectors asked of the {@link TextQueries} source
   * @param windows the windows (result depths) calibrated, ascending
   * @param ladderStep factor between consecutive candidate counts, > 1
   * @param maxCandidates the largest count tried
   * @param ceiling stop raising the count once every window's mean recall reaches this
   * @param selectivities filter shares (each in (0, 1)) with a curve of their own; empty: none
   * @param budget wall time after which the ladder stops (the calibration is then partial)
   * @param seed seeds the query sample and the filters
   */
  public record Settings(
      int imageQueries,
      int textQueries,
      int[] windows,
      double ladderStep,
      int maxCandidates,
      double ceiling,
      double[] selectivities,
      Duration budget,
      long seed) {

    public Settings {
      windows = windows.clone();
      selectivities = selectivities.clone();
      Objects.requireNonNull(budget, "budget");
      if (imageQueries < 1 || textQueries < 0) {
        throw new IllegalArgumentException("need at least one image query and >= 0 text queries");
      }
      if (windows.length == 0) {
        throw new IllegalArgumentException("need at least one window");
      }
      for (int i = 0; i < windows.length; i++) {
        if (windows[i] < 1 || i > 0 && windows[i] <= windows[i - 1]) {
          throw new IllegalArgumentException(
              "windows must be positive and ascending: " + Arrays.toString(windows));
        }
      }
      if (!(ladderStep > 1)) {
        throw new IllegalArgumentException("ladderStep must be > 1, got " + ladderStep);
      }
      if (maxCandidates < windows[windows.length - 1]) {
        throw new IllegalArgumentException("maxCandidates must be >= the largest window");
      }
      if (!(ceiling > 0 && ceiling <= 1)) {
        throw new IllegalArgumentException("ceiling must be in (0, 1], got " + ceiling);
      }
      for (double s : selectivities) {
        if (!(s > 0 && s < 1)) {
          throw new IllegalArgumentException("selectivities must be in (0, 1), got " + s);
        }
      }
      if (budget.isNegative() || budget.isZero()) {
        throw new IllegalArgumentException("budget must be positive, got " + budget);
      }
    }

    /**
     * The defaults: 100 image-like and 200 text queries (image-like curves are steep and short,
     * text ones long: the truth pass, queries × documents dot products, is most of the cost),
     * window 10 (deeper windows scale its candidates per hit, which over-fetches a little: deeper
     * windows need fewer per hit), counts growing by 1.5x up to 4,000, ceiling 0.995, no filter
     * curves, 120 s budget, seed 42.
     */
    public static Settings defaults() {
      return new Settings(
          100, 200, new int[] {10}, 1.5, 4000, 0.995, new double[0], Duration.ofSeconds(120), 42);
    }

    public Settings withQueries(int image, int text) {
      return new Settings(
          image, text, windows, ladderStep, maxCandidates, ceiling, selectivities, budget, seed);
    }

    public Settings withWindows(int... w) {
      return new Settings(
          imageQueries,
          textQueries,
          w,
          ladderStep,
          maxCandidates,
          ceiling,
          selectivities,
          budget,
          seed);
    }

    public Settings withCeiling(double c) {
      return new Settings(
          imageQueries,
          textQueries,
          windows,
          ladderStep,
          maxCandidates,
          c,
          selectivities,
          budget,
          seed);
    }

    public Settings withSelectivities(double... s) {
      return new Settings(
          imageQueries, textQueries, windows, ladderStep, maxCandidates, ceiling, s, budget, seed);
    }

    public Settings withBudget(Duration b) {
      return new Settings(
          imageQueries,
          textQueries,
          windows,
          ladderStep,
          maxCandidates,
          ceiling,
          selectivities,
          b,
          seed);
    }

    public Settings withSeed(long s) {
      return new Settings(
          imageQueries,
          textQueries,
          windows,
          ladderStep,
          maxCandidates,
          ceiling,
          selectivities,
          budget,
          s);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Settings s
          && imageQueries == s.imageQueries
          && textQueries == s.textQueries
          && Arrays.equals(windows, s.windows)
          && ladderStep == s.ladderStep
          && maxCandidates == s.maxCandidates
          && ceiling == s.ceiling
          && Arrays.equals(selectivities, s.selectivities)
          && budget.equals(s.budget)
          && seed == s.seed;
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          imageQueries,
          textQueries,
          Arrays.hashCode(windows),
          ladderStep,
          maxCandidates,
          ceiling,
          Arrays.hashCode(selectivities),
          budget,
          seed);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "Settings[%d image + %d text queries, windows %s, step %.2f up to %d, ceiling %.4f,"
              + " selectivities %s, budget %s, seed %d]",
          imageQueries,
          textQueries,
          Arrays.toString(windows),
          ladderStep,
          maxCandidates,
          ceiling,
          Arrays.toString(selectivities),
          budget,
          seed);
    }
  }

  private final Settings settings;
  private final Executor executor;
  private final BooleanSupplier stop;

  /** A calibrator measuring on the calling thread. */
  public RecallCalibrator(Settings settings) {
    this(settings, null);
  }

  /**
   * A calibrator spreading its queries over {@code executor}'s threads (not shut down here); null
   * measures on the calling thread.
   */
  public RecallCalibrator(Settings settings, Executor executor) {
    this(settings, executor, () -> false);
  }

  /**
   * The same, stopping when {@code stop} says so: between ladder steps (the calibration is then
   * partial), or, before the ladder, with a {@link CancellationException}. Cooperative on purpose:
   * interrupting a thread in the middle of file I/O closes Lucene's {@code NIOFSDirectory} channels
   * for every reader of the index.
   */
  public RecallCalibrator(Settings settings, Executor executor, BooleanSupplier stop) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.executor = executor;
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Calibrates the index view's field.
   *
   * @param field the vector field's name (recorded in the calibration)
   * @return empty if the view has no live vectors
   */
  public Optional<RecallCalibration> calibrate(
      CalibrationIndex index, String field, TextQueries text) throws IOException {
    long start = System.nanoTime();
    long deadline = start + settings.budget().toNanos();
    Random random = new Random(settings.seed());
    Work work = new Work();
    int[] liveDocs = index.liveDocs();
    int n = liveDocs.length;
    if (n == 0) {
      return Optional.empty();
    }

    Map<QueryKind, List<float[]>> queries = new LinkedHashMap<>();
    Map<QueryKind, String> sources = new LinkedHashMap<>();
    List<float[]> images = new ArrayList<>();
    for (int doc : sample(liveDocs, settings.imageQueries(), random)) {
      stopIfRequested();
      images.add(neighbourhoodQuery(index, doc, random));
      work.searched(NEIGHBOURS + 1);
    }
    queries.put(QueryKind.IMAGE, images);
    sources.put(
        QueryKind.IMAGE,
        "indexed vectors moved within their neighbourhood (" + NEIGHBOURS + " neighbours)");
    if (settings.textQueries() > 0) {
      TextQueries.Sample texts = text.sample(index, settings.textQueries(), random);
      if (!texts.vectors().isEmpty()) {
        queries.put(QueryKind.TEXT, texts.vectors());
        sources.put(QueryKind.TEXT, texts.source());
      }
    }

    int[] windows = Arrays.stream(settings.windows()).filter(w -> w <= n).toArray();
    if (windows.length == 0) {
      windows = new int[] {n};
    }
    int depth = windows[windows.length - 1];
    List<RandomSubset> filters = new ArrayList<>();
    filters.add(null);
    for (double s : settings.selectivities()) {
      // A filter leaving no more documents than the largest window is searched exactly anyway.
      if (s * n > depth) {
        filters.add(new RandomSubset(s, settings.seed() + 1));
      }
    }

    boolean complete = true;
    int[] ladder = ladder(windows[0], Math.min(settings.maxCandidates(), n));
    List<RecallCalibration.Curve> curves = new ArrayList<>();
    for (Map.Entry<QueryKind, List<float[]>> kind : queries.entrySet()) {
      List<float[]> vectors = kind.getValue();
      long truthStart = System.nanoTime();
      int[][][] truth = exactTopDocs(index, vectors, filters, depth);
      work.truthNanos.addAndGet(System.nanoTime() - truthStart);
      work.dotProducts.addAndGet((long) vectors.size() * n);
      for (int f = 0; f < filters.size(); f++) {
        Ladder result =
            climb(index, vectors, filters.get(f), truth, f, windows, ladder, deadline, work);
        complete &= result.complete;
        if (result.steps == 0) {
          continue;
        }
        int[] measured = Arrays.copyOf(ladder, result.steps);
        double share = filters.get(f) == null ? 1.0 : filters.get(f).share();
        for (boolean reranked : new boolean[] {true, false}) {
          curves.add(
              new RecallCalibration.Curve(
                  kind.getKey(),
                  share,
                  reranked,
                  result.curve(windows, measured, reranked, vectors.size())));
        }
      }
    }
    if (curves.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RecallCalibration(
            field,
            index.layout(),
            n,
            index.segments(),
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            new RecallCalibration.Cost(
                (System.nanoTime() - start) / 1e9,
                work.truthNanos.get() / 1e9,
                work.searches.get(),
                work.candidates.get(),
                work.dotProducts.get()),
            complete,
            sources,
            curves));
  }

  /** Candidate counts from {@code first}, growing by the ladder step, ending at {@code last}. */
  int[] ladder(int first, int last) {
    List<Integer> counts = new ArrayList<>();
    for (long c = first;
        c < last;
        c = Math.max(c + 1, (long) Math.ceil(c * settings.ladderStep()))) {
      counts.add((int) c);
    }
    counts.add(Math.max(first, last));
    return counts.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * A new image-like query around indexed document {@code doc}: its vector plus a Gaussian
   * combination of the offsets to its nearest neighbours (found by the engine's search), each
   * weight of variance {@code spread² / k}, so that the query lies about {@code spread} times the
   * root-mean-square neighbour distance away; normalised. The document and its neighbours stay in
   * the truth: they are this query's true neighbours.
   */
  static float[] neighbourhoodQuery(CalibrationIndex index, int doc, Random random)
      throws IOException {
    float[] v = index.vector(doc);
    List<float[]> neighbours = new ArrayList<>();
    for (int other : index.search(v, NEIGHBOURS + 1, null)) {
      if (other != doc && neighbours.size() < NEIGHBOURS) {
        neighbours.add(index.vector(other));
      }
    }
    float[] query = v.clone();
    double scale = neighbours.isEmpty() ? 0 : NEIGHBOURHOOD_SPREAD / Math.sqrt(neighbours.size());
    for (float[] w : neighbours) {
      double g = random.nextGaussian() * scale;
      for (int j = 0; j < query.length; j++) {
        query[j] += (float) (g * (w[j] - v[j]));
      }
    }
    return normalised(query);
  }

  private static float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * (double) x;
    }
    norm = Math.sqrt(norm);
    if (norm == 0) {
      return v;
    }
    for (int j = 0; j < v.length; j++) {
      v[j] = (float) (v[j] / norm);
    }
    return v;
  }

  /** Counts the work of one calibration (thread-safe: ladder tasks run in parallel). */
  private static final class Work {
    final java.util.concurrent.atomic.AtomicLong searches =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong candidates =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong dotProducts =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong truthNanos =
        new java.util.concurrent.atomic.AtomicLong();

    void searched(int count) {
      searches.incrementAndGet();
      candidates.addAndGet(count);
    }
  }

  /** Per-query recall sums of one ladder, for the re-ranked and the approximate answers. */
  private static final class Ladder {
    final double[][][] sum; // [0: re-ranked, 1: approximate][window][step]
    final double[][][] sumSquares;
    int steps;
    boolean complete = true;

    Ladder(int windows, int steps) {
      sum = new double[2][windows][steps];
      sumSquares = new double[2][windows][steps];
    }

    RecallCurve curve(int[] windows, int[] ladder, boolean reranked, int queries) {
      int order = reranked ? 0 : 1;
      double[][] mean = new double[windows.length][ladder.length];
      double[][] se = new double[windows.length][ladder.length];
      for (int w = 0; w < windows.length; w++) {
        for (int c = 0; c < ladder.length; c++) {
          if (ladder[c] < windows[w]) {
            mean[w][c] = Double.NaN;
            se[w][c] = Double.NaN;
            continue;
          }
          double m = sum[order][w][c] / queries;
          double variance =
              queries > 1
                  ? Math.max(0, (sumSquares[order][w][c] - queries * m * m) / (queries - 1))
                  : 0;
          mean[w][c] = m;
          se[w][c] = Math.sqrt(variance / queries);
        }
      }
      return new RecallCurve(windows, ladder, mean, se, queries);
    }
  }

  private Ladder climb(
      CalibrationIndex index,
      List<float[]> queries,
      RandomSubset filter,
      int[][][] truth,
      int filterIndex,
      int[] windows,
      int[] ladder,
      long deadline,
      Work work)
      throws IOException {
    Ladder result = new Ladder(windows.length, ladder.length);
    // A query whose candidates held its whole exact top list at every window is saturated: a wider
    // search finds the same (the beam only grows), so it is not searched again; its recalls stay
    // those of its last search (1 re-ranked; the graph's own order is carried forward).
    double[][] saturated = new double[queries.size()][];
    for (int step = 0; step < ladder.length; step++) {
      // The budget, or whoever runs the calibration, may stop it between steps.
      if (System.nanoTime() > deadline || stop.getAsBoolean()) {
        result.complete = false;
        break;
      }
      int count = ladder[step];
      boolean deepest = count >= windows[windows.length - 1];
      List<double[][]> chunks =
          inParallel(
              queries.size(),
              QUERIES_PER_TASK,
              (lo, hi) -> {
                double[][] recalls = new double[hi - lo][];
                for (int q = lo; q < hi; q++) {
                  if (saturated[q] != null) {
                    recalls[q - lo] = saturated[q];
                    continue;
                  }
                  int[] found = index.search(queries.get(q), count, filter);
                  work.searched(count);
                  double[] r = recalls(found, truth[q][filterIndex], windows, count);
                  recalls[q - lo] = r;
                  if (deepest && Arrays.stream(r, 0, windows.length).allMatch(x -> x == 1)) {
                    saturated[q] = r;
                  }
                }
                return recalls;
              });
      for (double[][] chunk : chunks) {
        for (double[] r : chunk) {
          for (int w = 0; w < windows.length; w++) {
            for (int order = 0; order < 2; order++) {
              double x = r[order * windows.length + w];
              result.sum[order][w][step] += x;
              result.sumSquares[order][w][step] += x * x;
            }
          }
        }
      }
      result.steps = step + 1;
      boolean allAtCeiling = true;
      for (int w = 0; w < windows.length; w++) {
        if (count < windows[w] || result.sum[0][w][step] / queries.size() < settings.ceiling()) {
          allAtCeiling = false;
        }
      }
      if (allAtCeiling) {
        break;
      }
    }
    return result;
  }

  /**
   * Recall@w of one search's candidates, for each window: re-ranked (the share of the exact top w
   * among the candidates) then approximate (among the first w by the graph's score). Windows deeper
   * than the count are left 0 (never read).
   */
  static double[] recalls(int[] found, int[] exact, int[] windows, int count) {
    Map<Integer, Integer> rank = new HashMap<>(exact.length * 2);
    for (int i = 0; i < exact.length; i++) {
      rank.put(exact[i], i);
    }
    int[] reranked = new int[windows.length];
    int[] approximate = new int[windows.length];
    for (int position = 0; position < found.length; position++) {
      Integer r = rank.get(found[position]);
      if (r == null) {
        continue;
      }
      for (int w = 0; w < windows.length; w++) {
        if (r < windows[w]) {
          reranked[w]++;
          if (position < windows[w]) {
            approximate[w]++;
          }
        }
      }
    }
    double[] out = new double[2 * windows.length];
    for (int w = 0; w < windows.length; w++) {
      if (count < windows[w]) {
        continue;
      }
      int relevant = Math.min(windows[w], exact.length);
      out[w] = relevant == 0 ? 1 : reranked[w] / (double) relevant;
      out[windows.length + w] = relevant == 0 ? 1 : approximate[w] / (double) relevant;
    }
    return out;
  }

  /** One exact-score hit of the truth pass; ordered worst first (lower score, then higher id). */
  private record Scored(float score, int doc) implements Comparable<Scored> {
    @Override
    public int compareTo(Scored o) {
      int c = Float.compare(score, o.score);
      return c != 0 ? c : Integer.compare(o.doc, doc);
    }
  }

  /**
   * The exact top {@code depth} ids of every query under every filter ({@code null}: none), best
   * first; tasks split the queries, each scanning every live vector once.
   */
  private int[][][] exactTopDocs(
      CalibrationIndex index, List<float[]> queries, List<RandomSubset> filters, int depth)
      throws IOException {
    List<int[][][]> parts =
        inParallel(
            queries.size(),
            QUERIES_PER_TASK * 2,
            (lo, hi) -> exactTopDocsOf(index, queries.subList(lo, hi), filters, depth));
    int[][][] truth = new int[queries.size()][][];
    int q = 0;
    for (int[][][] part : parts) {
      for (int[][] perFilter : part) {
        truth[q++] = perFilter;
      }
    }
    return truth;
  }

  /** Vectors scored together in the truth pass, so each query is read from cache once per block. */
  private static final int BLOCK = 16;

  private int[][][] exactTopDocsOf(
      CalibrationIndex index, List<float[]> queries, List<RandomSubset> filters, int depth)
      throws IOException {
    TopLists tops = new TopLists(queries.size(), filters.size(), depth);
    float[][] block = new float[BLOCK][];
    int[] blockDocs = new int[BLOCK];
    boolean[][] blockAccepted = new boolean[BLOCK][filters.size()];
    int[] size = {0};
    index.scan(
        (doc, vector) -> {
          boolean any = false;
          for (int f = 0; f < filters.size(); f++) {
            boolean accepted = filters.get(f) == null || filters.get(f).accepts(doc);
            blockAccepted[size[0]][f] = accepted;
            any |= accepted;
          }
          if (!any) {
            return;
          }
          if (block[size[0]] == null) {
            block[size[0]] = new float[vector.length];
          }
          System.arraycopy(vector, 0, block[size[0]], 0, vector.length);
          blockDocs[size[0]++] = doc;
          if (size[0] == BLOCK) {
            stopIfRequested();
            tops.score(index, queries, block, blockDocs, blockAccepted, size[0]);
            size[0] = 0;
          }
        });
    tops.score(index, queries, block, blockDocs, blockAccepted, size[0]);
    return tops.docs();
  }

  /** The exact top lists of the truth pass: one bounded heap per query and filter. */
  private static final class TopLists {
    private final List<List<PriorityQueue<Scored>>> heaps = new ArrayList<>();
    private final float[][] worst;
    private final int depth;

    TopLists(int queries, int filters, int depth) {
      this.depth = depth;
      this.worst = new float[queries][filters];
      for (int q = 0; q < queries; q++) {
        List<PriorityQueue<Scored>> perFilter = new ArrayList<>();
        for (int f = 0; f < filters; f++) {
          perFilter.add(new PriorityQueue<>(depth + 1));
        }
        heaps.add(perFilter);
        Arrays.fill(worst[q], Float.NEGATIVE_INFINITY);
      }
    }

    /**
     * Scores {@code n} vectors against every query. The index's DOT_PRODUCT score, (1 + dot) / 2,
     * orders like the dot product; documents arrive in id order, so a tie never displaces an
     * earlier one (Lucene's tie order).
     */
    void score(
        CalibrationIndex index,
        List<float[]> queries,
        float[][] vectors,
        int[] docs,
        boolean[][] accepted,
        int n) {
      for (int q = 0; q < queries.size(); q++) {
        float[] query = queries.get(q);
        for (int i = 0; i < n; i++) {
          float score = index.dotProduct(query, vectors[i]);
          for (int f = 0; f < worst[q].length; f++) {
            if (!accepted[i][f] || score <= worst[q][f]) {
              continue;
            }
            PriorityQueue<Scored> heap = heaps.get(q).get(f);
            heap.add(new Scored(score, docs[i]));
            if (heap.size() > depth) {
              heap.poll();
            }
            if (heap.size() == depth) {
              worst[q][f] = heap.peek().score();
            }
          }
        }
      }
    }

    /** Best first, per query and filter. */
    int[][][] docs() {
      int[][][] truth = new int[heaps.size()][][];
      for (int q = 0; q < heaps.size(); q++) {
        truth[q] = new int[heaps.get(q).size()][];
        for (int f = 0; f < truth[q].length; f++) {
          PriorityQueue<Scored> heap = heaps.get(q).get(f);
          int[] docs = new int[heap.size()];
          for (int i = docs.length - 1; i >= 0; i--) {
            docs[i] = heap.poll().doc();
          }
          truth[q][f] = docs;
        }
      }
      return truth;
    }
  }

  /**
   * Ends a calibration asked to stop before its ladder: the truth pass and the query sampling
   * cannot stop half-way with a usable result, unlike the ladder.
   */
  private void stopIfRequested() {
    if (stop.getAsBoolean()) {
      throw new CancellationException("recall calibration stopped");
    }
  }

  /** Up to {@code count} distinct entries of {@code docs}, drawn at random. */
  private static int[] sample(int[] docs, int count, Random random) {
    int[] copy = docs.clone();
    int m = Math.min(count, copy.length);
    for (int i = 0; i < m; i++) {
      int j = i + random.nextInt(copy.length - i);
      int t = copy[i];
      copy[i] = copy[j];
      copy[j] = t;
    }
    return Arrays.copyOf(copy, m);
  }

  /** Work on a range of queries {@code [lo, hi)}. */
  @FunctionalInterface
  private interface RangeTask<T> {
    T run(int lo, int hi) throws IOException;
  }

  /** Splits {@code [0, n)} into ranges of {@code size}, runs them on the executor, in order. */
  private <T> List<T> inParallel(int n, int size, RangeTask<T> task) throws IOException {
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (int lo = 0; lo < n; lo += size) {
      int from = lo;
      int to = Math.min(n, lo + size);
      IntFunction<T> call =
          ignored -> {
            try {
              return task.run(from, to);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          };
      futures.add(
          executor == null
              ? CompletableFuture.completedFuture(call.apply(0))
              : CompletableFuture.supplyAsync(() -> call.apply(0), executor));
    }
    List<T> results = new ArrayList<>();
    try {
      for (CompletableFuture<T> f : futures) {
        results.add(f.join());
      }
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return results;
  }
}
