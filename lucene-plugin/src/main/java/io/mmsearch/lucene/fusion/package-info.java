/**
 * Pure score-fusion arithmetic over ranked lists of Lucene doc ids: reciprocal rank fusion and
 * linear combination of min-max normalised scores. No index access, so every value can be checked
 * by hand.
 */
package io.mmsearch.lucene.fusion;
