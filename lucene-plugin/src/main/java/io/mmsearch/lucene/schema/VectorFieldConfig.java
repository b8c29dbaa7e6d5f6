package io.mmsearch.lucene.schema;

import java.util.Objects;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * The on-disk format of one vector field: the {@link VectorFormat} and the HNSW graph parameters.
 *
 * @param format how the graph's vectors are stored
 * @param maxConn HNSW M, 1..512 (Lucene's default 16)
 * @param beamWidth HNSW construction beam width, 1..3200 (Lucene's default 100)
 */
public record VectorFieldConfig(VectorFormat format, int maxConn, int beamWidth) {

  /** float32 HNSW with Lucene's default M and beam width. */
  public static final VectorFieldConfig DEFAULT =
      new VectorFieldConfig(
          VectorFormat.FLOAT32,
          Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN,
          Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);

  public VectorFieldConfig {
    Objects.requireNonNull(format, "format");
    if (maxConn < 1 || maxConn > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) {
      throw new IllegalArgumentException(
          "HNSW maxConn must be in 1.."
              + Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN
              + ", got "
              + maxConn);
    }
    if (beamWidth < 1 || beamWidth > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) {
      throw new IllegalArgumentException(
          "HNSW beamWidth must be in 1.."
              + Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH
              + ", got "
              + beamWidth);
    }
  }

  /** The given format with Lucene's default M and beam width. */
  public static VectorFieldConfig of(VectorFormat format) {
    return new VectorFieldConfig(format, DEFAULT.maxConn(), DEFAULT.beamWidth());
  }

  /** A new Lucene format instance for this configuration. */
  public KnnVectorsFormat knnVectorsFormat() {
    return format.knnVectorsFormat(maxConn, beamWidth);
  }
}
