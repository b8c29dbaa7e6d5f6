package io.mmsearch.encoders.bundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The Jackson configurations for {@code bundle.json}, shared by reader, writer and fingerprint. */
final class BundleJson {
  /** Reads and writes {@code bundle.json}. Thread-safe once configured. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          // Newer writers may add fields; older readers ignore what they do not know.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /** Writes the compact canonical form the fingerprint hashes (keys are sorted by the caller). */
  static final ObjectMapper CANONICAL = JsonMapper.builder().build();

  private BundleJson() {}
}
