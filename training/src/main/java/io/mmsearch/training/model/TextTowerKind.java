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
  BACKBONE_HEAD
}
