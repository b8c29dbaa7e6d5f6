package io.mmsearch.training.model;

/** Which image tower a {@link DualEncoder} has. */
public enum ImageTowerKind {
  /**
   * Pixels -> a small CNN trained from scratch ({@link ImageTower}): the tiny model, a few hundred
   * KB, about 0.3 ms per image; it only knows the drawing styles it was trained on.
   */
  CNN,
  /**
   * A frozen pretrained image backbone's pooled features -> a trainable {@link ImageHead}. The
   * backbone is never trained: its features are computed once per image and augmented view and
   * cached, so an epoch costs only the heads.
   */
  BACKBONE_HEAD
}
