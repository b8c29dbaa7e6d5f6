package io.mmsearch.training.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Symmetric InfoNCE over a batch of matched (image, caption) pairs, as in CLIP, with two additions.
 *
 * <ul>
 *   <li><b>Same-concept pairs are not negatives.</b> Two items of the same concept (class, or id
 *       when there is no class) in one batch describe each other correctly; their cross pairs are
 *       removed from both softmaxes instead of being pushed apart. So is a pair whose caption is
 *       also one of the image's own captions (an optional {@code [B,B]} mask: a tag such as "face"
 *       describes many concepts).
 *   <li><b>Optional hard-negative margin term.</b> For each image (and each caption) the {@code k}
 *       most similar mismatched partners are hinged against the matched one: {@code
 *       mean(relu(margin + s_neg - s_pos))}, weighted by {@code hardNegativeWeight} (0 turns it
 *       off).
 * </ul>
 *
 * <p>Predictions: {@code [imageEmbeddings [B,D], textEmbeddings [B,D], logitScale []]}; labels:
 * {@code [concepts [B] int64]} and optionally {@code describes [B,B] float} (1 where caption {@code
 * j} describes image {@code i}). Immutable and thread-safe.
 */
public final class ContrastiveLoss extends Loss {

  /** Added to the logit of a masked pair: with logits bounded by 100 it vanishes in the softmax. */
  private static final float MASKED_LOGIT = -1e4f;

  private final float hardNegativeWeight;
  private final int hardNegativeCount;
  private final float margin;

  /**
   * @param hardNegativeWeight weight of the margin term, 0 to disable it
   * @param hardNegativeCount how many of the most confusing negatives per row enter the term
   * @param margin the hinge margin, in cosine similarity units
   */
  public ContrastiveLoss(float hardNegativeWeight, int hardNegativeCount, float margin) {
    super("contrastive");
    if (hardNegativeWeight < 0 || hardNegativeCount < 1 || margin < 0) {
      throw new IllegalArgumentException(
          "hard-negative weight and margin must be >= 0 and the count >= 1, got "
              + hardNegativeWeight
              + ", "
              + hardNegativeCount
              + ", "
              + margin);
    }
    this.hardNegativeWeight = hardNegativeWeight;
    this.hardNegativeCount = hardNegativeCount;
    this.margin = margin;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray images = predictions.get(0);
    NDArray texts = predictions.get(1);
    NDArray scale = predictions.get(2);
    NDArray concepts = labels.get(0);
    NDManager manager = images.getManager();
    long batch = images.getShape().get(0);

    NDArray similarity = images.matMul(texts.transpose());
    NDArray sameConcept = concepts.expandDims(1).eq(concepts.expandDims(0));
    if (labels.size() > 1) {
      sameConcept = sameConcept.logicalOr(labels.get(1).gt(0.5f));
    }
    NDArray diagonal = manager.eye((int) batch);
    NDArray notNegative =
        sameConcept.logicalAnd(diagonal.toType(sameConcept.getDataType(), false).logicalNot());
    NDArray logits =
        similarity.mul(scale).add(notNegative.toType(DataType.FLOAT32, false).mul(MASKED_LOGIT));

    NDArray imageToText = logits.logSoftmax(1).mul(diagonal).sum(new int[] {1}).neg().mean();
    NDArray textToImage = logits.logSoftmax(0).mul(diagonal).sum(new int[] {0}).neg().mean();
    NDArray loss = imageToText.add(textToImage).div(2f);
    if (hardNegativeWeight > 0 && batch > 1) {
      loss = loss.add(hardNegativeTerm(similarity, sameConcept, diagonal).mul(hardNegativeWeight));
    }
    return loss;
  }

  private NDArray hardNegativeTerm(NDArray similarity, NDArray sameConcept, NDArray diagonal) {
    long batch = similarity.getShape().get(0);
    int k = (int) Math.min(hardNegativeCount, batch - 1);
    // Excluded pairs drop by 3, below any cosine: they sort first and their hinge is 0.
    NDArray negatives = similarity.sub(sameConcept.toType(DataType.FLOAT32, false).mul(3f));
    NDArray positive = similarity.mul(diagonal).sum(new int[] {1}, true);
    NDIndex lastK = new NDIndex(":, {}:", batch - k);
    NDArray rowHardest = negatives.sort(1).get(lastK);
    NDArray columnHardest = negatives.transpose().sort(1).get(lastK);
    NDArray rows = rowHardest.sub(positive).add(margin).maximum(0f).mean();
    NDArray columns = columnHardest.sub(positive).add(margin).maximum(0f).mean();
    return rows.add(columns).div(2f);
  }
}
