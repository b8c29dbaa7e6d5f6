package io.mmsearch.solr.search;

import io.mmsearch.semantics.Ranked;
import java.util.Map;

/**
 * One hit of a ranked list a shard (or the local index) returned to the coordinator: its unique key
 * and score, and what the shared ranking stages may need of it: its vectors in the fields the
 * coordinator asked for, and its content hash.
 *
 * @param id the unique key
 * @param score the list's score
 * @param vectors field to vector, for the fields asked for that the document has
 * @param contentHash the stored content hash, or null
 */
record ListHit(String id, float score, Map<String, float[]> vectors, String contentHash) {

  Ranked<String> ranked() {
    return new Ranked<>(id, score);
  }
}
