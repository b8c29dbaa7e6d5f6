package io.mmsearch.training.model;

/** Which text tower a {@link DualEncoder} has. */
public enum TextTowerKind {
  /**
   * Word tokens -> embedding -> BiLSTM -> masked mean -> linear ({@link TextTower}), trained from
   * scratch; knows only the words of its training captions.
   */
  BILSTM,
  /**
   * A frozen pretrained backbone's pooled features -> trainable {@link ProjectionHead}. The
   * backbone is never trained: its features are computed once per distinct text.
   */
  BACKBONE_HEAD,
  /**
   * A frozen pretrained backbone's pooled features as they are, L2-normalised ({@link FrozenText}):
   * no trainable text tower at all. The image tower learns to map images into the backbone's own
   * sentence space, which keeps all the language the backbone knows (paraphrases, words no training
   * caption has); the embedding dimension is the backbone's.
   */
  BACKBONE
}
