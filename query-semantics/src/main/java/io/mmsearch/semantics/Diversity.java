package io.mmsearch.semantics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Re-ranking stages that keep the top of a result list from being one picture many times over, run
 * after fusion over the first {@link #candidates()} hits of the final ranking (each list is read
 * that deep, see {@link #listDepth}). Immutable.
 *
 * <ol>
 *   <li><b>Near-duplicate collapse</b>: walking the ranking in order, a hit is folded into the
 *       first kept hit above it that has the same content hash (with {@code collapseHash}) or whose
 *       image vector has a cosine of at least {@code collapseCosine} with its own; the kept hit
 *       carries the folded hits' keys ({@link DiverseHit#duplicates()}), like a collapsed group.
 *   <li><b>Maximal marginal relevance</b> (Carbonell and Goldstein, 1998; the formula of
 *       Elasticsearch's {@code diversify} retriever and OpenSearch's MMR): from the kept hits,
 *       select one at a time the hit maximising {@code λ · rel(d) − (1 − λ) · max_{s ∈ selected}
 *       cos(d, s)}, where {@code rel} is the hit's score min-max scaled to {@code [0, 1]} over the
 *       kept hits (so λ means the same whatever the scores' units: similarity, BM25 or fused) and
 *       {@code cos} the cosine of the image vectors. λ = 1 keeps the ranking; smaller values trade
 *       relevance for variety. Ties go to the hit ranked higher.
 * </ol>
 *
 * The result is in selection order (MMR's order, or the ranking's without MMR); each hit keeps the
 * score it ranked by, so scores need not descend after MMR.
 *
 * @param collapseCosine fold hits whose image vectors have at least this cosine with a kept hit;
 *     {@code NaN} for no vector collapse
 * @param collapseHash fold hits with the same content hash as a kept hit
 * @param mmrLambda MMR's λ in {@code [0, 1]}; {@code NaN} for no MMR
 * @param candidates how many hits of the ranking the stages consider, at least 1
 */
public record Diversity(
    float collapseCosine, boolean collapseHash, float mmrLambda, int candidates) {

  /** The default depth the stages look at: 100 hits, or the window if that is deeper. */
  public static final int DEFAULT_CANDIDATES = 100;

  /**
   * The image-vector cosine above which two hits are near-duplicates when a user asks for collapse
   * without a cosine, the default of every front end: a conservative "same picture" cosine. The
   * sample's measurement (docs/quality.md, "Diversity") found no cosine that tells a concept's two
   * styles apart from look-alikes with the shipped model, so this is not a twin detector.
   */
  public static final float DEFAULT_COLLAPSE_COSINE = 0.9f;

  /**
   * The MMR λ a front end uses when a user asks for "diverse" results without a λ (the web page's
   * switch); measured on the sample in docs/quality.md, "Diversity" (Recall@10 0.375 against 0.25
   * without; lower λ spreads concepts more at a cost in relevance).
   */
  public static final float DEFAULT_MMR_LAMBDA = 0.7f;

  /** No diversity stage. */
  public static final Diversity NONE =
      new Diversity(Float.NaN, false, Float.NaN, DEFAULT_CANDIDATES);

  public Diversity {
    if (!Float.isNaN(collapseCosine) && !(collapseCosine >= -1 && collapseCosine <= 1)) {
      throw new InvalidQueryException(
          "the collapse cosine must be in [-1, 1], got " + collapseCosine);
    }
    if (!Float.isNaN(mmrLambda) && !(mmrLambda >= 0 && mmrLambda <= 1)) {
      throw new InvalidQueryException("the MMR lambda must be in [0, 1], got " + mmrLambda);
    }
    if (candidates < 1) {
      throw new InvalidQueryException("diversity candidates must be >= 1, got " + candidates);
    }
  }

  /** This with near-duplicate collapse at this image-vector cosine ({@code NaN}: none). */
  public Diversity withCollapseCosine(float cosine) {
    return new Diversity(cosine, collapseHash, mmrLambda, candidates);
  }

  /** This with or without collapse by content hash. */
  public Diversity withCollapseHash(boolean byHash) {
    return new Diversity(collapseCosine, byHash, mmrLambda, candidates);
  }

  /** This with MMR at this λ ({@code NaN}: none). */
  public Diversity withMmr(float lambda) {
    return new Diversity(collapseCosine, collapseHash, lambda, candidates);
  }

  /** This considering this many hits. */
  public Diversity withCandidates(int n) {
    return new Diversity(collapseCosine, collapseHash, mmrLambda, n);
  }

  /** Whether any stage runs. */
  public boolean isActive() {
    return collapses() || !Float.isNaN(mmrLambda);
  }

  /** Whether near-duplicates are collapsed. */
  public boolean collapses() {
    return collapseHash || !Float.isNaN(collapseCosine);
  }

  /** Whether the stages need the hits' image vectors. */
  public boolean needsVectors() {
    return !Float.isNaN(collapseCosine) || !Float.isNaN(mmrLambda);
  }

  /**
   * How deep each ranked list is read for a request whose window is {@code window}: {@code
   * max(window, candidates)} when a stage runs, else the window.
   */
  public int listDepth(int window) {
    return isActive() ? Math.max(window, candidates) : window;
  }

  /**
   * What the stages need to know of a hit; supplied by the engine.
   *
   * @param <K> the engine's document key
   */
  public interface HitFeatures<K> {
    /** The hit's unit image vector (never null for an indexed document). */
    float[] imageVector(K key);

    /** The hit's content hash, or null if it has none. */
    String contentHash(K key);
  }

  /**
   * A hit after the stages: its key and score, and the keys of the near-duplicates folded into it
   * (in rank order; empty if none).
   */
  public record DiverseHit<K extends Comparable<? super K>>(
      K key, float score, List<K> duplicates) {
    public DiverseHit {
      Objects.requireNonNull(key, "key");
      duplicates = List.copyOf(duplicates);
    }
  }

  /**
   * Runs the stages over the first {@link #candidates()} hits of {@code ranked}, keeping at most
   * {@code window} hits; without a stage the first {@code window} hits, unchanged.
   *
   * @param ranked the final ranking, in rank order
   * @param features the hits' image vectors and hashes (asked only for what the stages use)
   * @param window how many hits to keep
   */
  public <K extends Comparable<? super K>> List<DiverseHit<K>> apply(
      List<Ranked<K>> ranked, HitFeatures<K> features, int window) {
    int depth =
        isActive() ? Math.min(ranked.size(), listDepth(window)) : Math.min(ranked.size(), window);
    List<Ranked<K>> considered = ranked.subList(0, depth);
    float[][] vectors = new float[depth][];
    if (needsVectors()) {
      for (int i = 0; i < depth; i++) {
        vectors[i] = features.imageVector(considered.get(i).key());
      }
    }
    List<Group<K>> groups = collapse(considered, vectors, features);
    List<Group<K>> selected =
        Float.isNaN(mmrLambda) ? head(groups, window) : maximalMarginalRelevance(groups, window);
    List<DiverseHit<K>> out = new ArrayList<>(selected.size());
    for (Group<K> g : selected) {
      out.add(new DiverseHit<>(g.hit.key(), g.hit.score(), g.duplicates));
    }
    return out;
  }

  /** A kept hit, its image vector and the hits folded into it. */
  private static final class Group<K extends Comparable<? super K>> {
    final Ranked<K> hit;
    final float[] vector;
    final String hash;
    final List<K> duplicates = new ArrayList<>();

    Group(Ranked<K> hit, float[] vector, String hash) {
      this.hit = hit;
      this.vector = vector;
      this.hash = hash;
    }
  }

  private <K extends Comparable<? super K>> List<Group<K>> collapse(
      List<Ranked<K>> hits, float[][] vectors, HitFeatures<K> features) {
    List<Group<K>> kept = new ArrayList<>(hits.size());
    for (int i = 0; i < hits.size(); i++) {
      Ranked<K> hit = hits.get(i);
      String hash = collapseHash ? features.contentHash(hit.key()) : null;
      Group<K> into = collapses() ? duplicateOf(kept, vectors[i], hash) : null;
      if (into == null) {
        kept.add(new Group<>(hit, vectors[i], hash));
      } else {
        into.duplicates.add(hit.key());
      }
    }
    return kept;
  }

  private <K extends Comparable<? super K>> Group<K> duplicateOf(
      List<Group<K>> kept, float[] vector, String hash) {
    for (Group<K> g : kept) {
      if (hash != null && hash.equals(g.hash)) {
        return g;
      }
      if (!Float.isNaN(collapseCosine) && VectorScores.dot(vector, g.vector) >= collapseCosine) {
        return g;
      }
    }
    return null;
  }

  private <K extends Comparable<? super K>> List<Group<K>> maximalMarginalRelevance(
      List<Group<K>> pool, int n) {
    int size = pool.size();
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (Group<K> g : pool) {
      max = Math.max(max, g.hit.score());
      min = Math.min(min, g.hit.score());
    }
    double[] relevance = new double[size];
    for (int i = 0; i < size; i++) {
      relevance[i] = max == min ? 1 : (pool.get(i).hit.score() - min) / (max - min);
    }
    double[] maxSimilarity = new double[size];
    Arrays.fill(maxSimilarity, Double.NEGATIVE_INFINITY);
    boolean[] taken = new boolean[size];
    List<Group<K>> selected = new ArrayList<>(Math.min(n, size));
    while (selected.size() < Math.min(n, size)) {
      int best = -1;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < size; i++) {
        if (taken[i]) {
          continue;
        }
        double penalty = selected.isEmpty() ? 0 : maxSimilarity[i];
        double value = mmrLambda * relevance[i] - (1 - (double) mmrLambda) * penalty;
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      }
      taken[best] = true;
      Group<K> chosen = pool.get(best);
      selected.add(chosen);
      for (int i = 0; i < size; i++) {
        if (!taken[i]) {
          maxSimilarity[i] =
              Math.max(maxSimilarity[i], VectorScores.dot(pool.get(i).vector, chosen.vector));
        }
      }
    }
    return selected;
  }

  private static <T> List<T> head(List<T> list, int n) {
    return list.size() <= n ? list : list.subList(0, n);
  }
}
