package io.mmsearch.lucene.schema;

import java.util.Map;
import java.util.stream.Collectors;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;

/**
 * Lucene's default codec with a per-field choice of vector format. Only writing depends on this
 * class: each segment records the name of the format it used per field, and Lucene's own formats
 * are found by name on read, so an index written with this codec opens with the default codec.
 *
 * <p>Immutable and thread-safe.
 */
public final class MultimodalCodec extends Lucene104Codec {

  private final Map<String, KnnVectorsFormat> formats;

  /**
   * @param vectorFields vector field name to its configuration; fields not listed get Lucene's
   *     default format
   */
  public MultimodalCodec(Map<String, VectorFieldConfig> vectorFields) {
    super();
    this.formats =
        vectorFields.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, e -> e.getValue().knnVectorsFormat()));
  }

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    KnnVectorsFormat format = formats.get(field);
    return format != null ? format : super.getKnnVectorsFormatForField(field);
  }
}
