package io.mmsearch.tools.search;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.semantics.Diversity;
import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.TargetJoin;
import io.mmsearch.semantics.VectorMix;
import io.mmsearch.semantics.VectorTarget;
import io.mmsearch.semantics.Weighted;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The request settings of issue 18 as a user gives them, in text, to the command line ({@code
 * search}) and the HTTP API ({@code /api/search}): vector targets, cut-offs, diversity and
 * relevance feedback. Both front ends read them into this record and apply it to a {@link
 * SearchRequest.Builder} the same way; only the parameter names in messages differ ({@link Names}).
 * Null or blank means "not given". Immutable.
 *
 * @param target {@code image}, {@code caption}, {@code both} or {@code image:w,caption:w} ({@link
 *     VectorTarget#parseList}); not given: {@link #defaultTarget}
 * @param targetJoin {@code mean} or {@code rrf}
 * @param minScore the vector list's minimum similarity, before fusion
 * @param keywordMinScore the keyword list's minimum BM25 score, before fusion
 * @param autocut cut every list at its n-th score jump
 * @param mmr MMR's λ in [0, 1]
 * @param collapse collapse near-duplicates (same content hash, or image cosine at least {@code
 *     collapseCosine}, default {@link Diversity#DEFAULT_COLLAPSE_COSINE})
 * @param collapseCosine the image cosine above which hits are near-duplicates (implies collapse)
 * @param like ids of documents to find more like, each optionally {@code ^weight}
 * @param unlike ids of documents to find less like, each optionally {@code ^weight}
 * @param likeText texts to find more like, each optionally {@code ^weight}
 * @param unlikeText texts to find less like, each optionally {@code ^weight}
 */
public record RequestOptions(
    String target,
    String targetJoin,
    String minScore,
    String keywordMinScore,
    String autocut,
    String mmr,
    boolean collapse,
    String collapseCosine,
    List<String> like,
    List<String> unlike,
    List<String> likeText,
    List<String> unlikeText) {

  /**
   * The weight of a negative example given without one ({@link VectorMix#DEFAULT_NEGATIVE_WEIGHT}).
   */
  public static final float DEFAULT_NEGATIVE_WEIGHT = VectorMix.DEFAULT_NEGATIVE_WEIGHT;

  /**
   * The vector targets of a request with a text part (query text, {@code near:}, more or less like
   * a text) when the user names none: image and caption vectors joined by the mean of their
   * similarities, fused with BM25 in the default hybrid mode. Measured on the validation
   * paraphrases, labels and tags (docs/quality.md, "Vector targets: which default"): on paraphrases
   * R@10 0.776 against 0.605 for image vectors and 0.544 / 0.619 for the best single lists (BM25 /
   * caption vectors). A request without text (an image, documents, raw vectors) keeps {@link
   * VectorTarget#DEFAULT_SPEC}, the image vectors: caption vectors were measured for text queries
   * only.
   */
  public static final String DEFAULT_TEXT_TARGET = "both";

  /** The target spec a request gets when the user names none (see {@link #DEFAULT_TEXT_TARGET}). */
  public static String defaultTarget(boolean hasText) {
    return hasText ? DEFAULT_TEXT_TARGET : VectorTarget.DEFAULT_SPEC;
  }

  /**
   * A request for {@code text} as the front ends search it when the user gives nothing else: the
   * default mode ({@link SearchMode#DEFAULT}) and the default targets of a text query. For
   * evaluations that must measure what a user gets.
   */
  public static SearchRequest.Builder defaultTextRequest(String text) {
    return SearchMode.DEFAULT
        .apply(SearchRequest.builder(), text)
        .targets(
            VectorTarget.parseList(
                "target",
                defaultTarget(true),
                ImageSchema.IMAGE_VECTOR,
                ImageSchema.CAPTION_VECTOR));
  }

  public RequestOptions {
    like = List.copyOf(like);
    unlike = List.copyOf(unlike);
    likeText = List.copyOf(likeText);
    unlikeText = List.copyOf(unlikeText);
  }

  /** How each front end spells the settings, for messages that name the one a user typed. */
  public enum Names {
    /** {@code mmsearch search}'s options. */
    COMMAND_LINE(
        "--target",
        "--target-join",
        "--min-score",
        "--keyword-min-score",
        "--autocut",
        "--mmr",
        "--collapse-cosine",
        "--like",
        "--unlike",
        "--like-text",
        "--unlike-text"),
    /** {@code /api/search}'s parameters. */
    HTTP(
        "target",
        "targetJoin",
        "minScore",
        "keywordMinScore",
        "autocut",
        "mmr",
        "collapseCosine",
        "like",
        "unlike",
        "likeText",
        "unlikeText");

    final String target;
    final String targetJoin;
    final String minScore;
    final String keywordMinScore;
    final String autocut;
    final String mmr;
    final String collapseCosine;
    final String like;
    final String unlike;
    final String likeText;
    final String unlikeText;

    Names(
        String target,
        String targetJoin,
        String minScore,
        String keywordMinScore,
        String autocut,
        String mmr,
        String collapseCosine,
        String like,
        String unlike,
        String likeText,
        String unlikeText) {
      this.target = target;
      this.targetJoin = targetJoin;
      this.minScore = minScore;
      this.keywordMinScore = keywordMinScore;
      this.autocut = autocut;
      this.mmr = mmr;
      this.collapseCosine = collapseCosine;
      this.like = like;
      this.unlike = unlike;
      this.likeText = likeText;
      this.unlikeText = unlikeText;
    }
  }

  /**
   * Applies the settings to {@code request}.
   *
   * @throws InvalidQueryException naming the parameter (as {@code names} spells it) and the reason
   */
  public SearchRequest.Builder applyTo(SearchRequest.Builder request, Names names) {
    boolean hasText = request.hasTextPart() || !likeText.isEmpty() || !unlikeText.isEmpty();
    request.targets(
        VectorTarget.parseList(
            names.target,
            given(target) ? target : defaultTarget(hasText),
            ImageSchema.IMAGE_VECTOR,
            ImageSchema.CAPTION_VECTOR));
    if (given(targetJoin)) {
      try {
        request.targetJoin(TargetJoin.named(targetJoin));
      } catch (InvalidQueryException e) {
        throw new InvalidQueryException(names.targetJoin + ": " + e.getMessage());
      }
    }
    if (given(minScore)) {
      request.minScore(number(names.minScore, minScore));
    }
    if (given(keywordMinScore)) {
      request.keywordMinScore(number(names.keywordMinScore, keywordMinScore));
    }
    if (given(autocut)) {
      request.autocut(integer(names.autocut, autocut));
    }
    Diversity diversity = Diversity.NONE;
    if (given(collapseCosine)) {
      diversity =
          diversity
              .withCollapseHash(true)
              .withCollapseCosine(number(names.collapseCosine, collapseCosine));
    } else if (collapse) {
      diversity =
          diversity.withCollapseHash(true).withCollapseCosine(Diversity.DEFAULT_COLLAPSE_COSINE);
    }
    if (given(mmr)) {
      diversity = diversity.withMmr(number(names.mmr, mmr));
    }
    request.diversity(diversity);
    addExamples(names.like, like, 1f, request::likeId);
    addExamples(names.unlike, unlike, DEFAULT_NEGATIVE_WEIGHT, request::unlikeId);
    addExamples(names.likeText, likeText, 1f, request::text);
    addExamples(names.unlikeText, unlikeText, DEFAULT_NEGATIVE_WEIGHT, request::unlikeText);
    return request;
  }

  /** Parses each {@code value[^weight]} of a repeatable parameter and adds it to the request. */
  private static void addExamples(
      String parameter, List<String> values, float defaultWeight, BiConsumer<String, Float> add) {
    for (String s : values) {
      Weighted w = Weighted.parse(parameter, s, defaultWeight);
      add.accept(w.value(), w.weight());
    }
  }

  private static boolean given(String s) {
    return s != null && !s.isBlank();
  }

  private static float number(String parameter, String text) {
    try {
      float f = Float.parseFloat(text.strip());
      if (!Float.isFinite(f)) {
        throw new NumberFormatException();
      }
      return f;
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(parameter + " must be a number, got '" + text + "'");
    }
  }

  private static int integer(String parameter, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(
          parameter + " must be a whole number, got '" + text.toLowerCase(Locale.ROOT) + "'");
    }
  }
}
