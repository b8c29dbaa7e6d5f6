package io.mmsearch.lucene.schema;

import io.mmsearch.semantics.SearchDepth;
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

  /**
   * mmsearch's default: HNSW over int8 (OSQ) vectors, M 16, beam width 100, chosen from the
   * recall/q-s Pareto front of {@code ./mmsearch bench ann} on {@code real-image} (see
   * docs/benchmarks.md, "ANN at scale"). With exact re-rank of {@link #DEFAULT_OVERSAMPLE} x k
   * candidates, int8 reached the recall of float32 while keeping about 30% of its bytes hot
   * (vectors + graph); M 32/64 and beam 200/400 gave the same recall at a given candidate count
   * (the model's embeddings have a low intrinsic dimension, so the graph's neighbour pruning keeps
   * few links whatever M allows) for a longer build.
   */
  public static final VectorFieldConfig DEFAULT = new VectorFieldConfig(VectorFormat.INT8, 16, 100);

  /**
   * HNSW candidates per requested hit to fetch and re-rank exactly with the default format: 4, the
   * smallest factor that reached recall@10 of 0.99 on {@code real-image} (docs/benchmarks.md);
   * search requests use it unless they set their own.
   */
  public static final float DEFAULT_OVERSAMPLE = SearchDepth.DEFAULT_OVERSAMPLE;

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

  /** The given format with the default M and beam width. */
  public static VectorFieldConfig of(VectorFormat format) {
    return new VectorFieldConfig(format, DEFAULT.maxConn(), DEFAULT.beamWidth());
  }

  /** A new Lucene format instance for this configuration. */
  public KnnVectorsFormat knnVectorsFormat() {
    return format.knnVectorsFormat(maxConn, beamWidth);
  }
}
