package io.mmsearch.tools.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.cache.QueryVectorCache;

/** The figures of a query-vector cache as JSON, for {@code /api/stats}. */
public final class QueryCacheJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private QueryCacheJson() {}

  /** {@code {"hits", "misses", "hit_rate", "evictions", "entries", "max_entries"}}. */
  public static ObjectNode of(QueryVectorCache.Stats s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("hits", s.hits());
    o.put("misses", s.misses());
    o.put("hit_rate", Math.round(s.hitRate() * 10000) / 10000.0);
    o.put("evictions", s.evictions());
    o.put("entries", s.entries());
    o.put("max_entries", s.maxEntries());
    return o;
  }
}
