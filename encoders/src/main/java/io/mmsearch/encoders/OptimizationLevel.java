package io.mmsearch.encoders;

/**
 * How much an engine may rewrite a graph before running it (ONNX Runtime's graph optimisation
 * levels; engines without such levels ignore it). Higher levels load slower and run faster; all
 * levels compute the same function up to floating-point rounding.
 */
public enum OptimizationLevel {
  /** No rewriting. */
  NONE,
  /** Semantics-preserving rewrites such as constant folding and redundant-node removal. */
  BASIC,
  /** {@link #BASIC} plus operator fusions. */
  EXTENDED,
  /** Everything, including layout optimisations. The default. */
  ALL
}
