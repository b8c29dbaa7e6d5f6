package io.mmsearch.solr.schema;

import java.util.Locale;
import java.util.Map;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.VectorEncoding;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.IndexSchema;

/**
 * A {@link DenseVectorField} whose HNSW graph may navigate scalar-quantized vectors, while the
 * full-precision float32 vectors stay in the index: kNN search reads the small quantized copies,
 * and exact re-ranking ({@code {!mmknn}}, {@code vectorSimilarity(...)}) reads the float32 ones.
 *
 * <pre>{@code
 * <fieldType name="mmsearch_vector" class="io.mmsearch.solr.schema.QuantizedVectorField"
 *            vectorDimension="256" similarityFunction="dot_product" quantization="int8"
 *            hnswMaxConnections="16" hnswBeamWidth="100"/>
 * }</pre>
 *
 * <p>{@code quantization}: {@code int8} (default; Lucene 9.12's {@code
 * Lucene99HnswScalarQuantizedVectorsFormat}, 7 bits per dimension), {@code int4} (4 bits, two
 * dimensions per byte), or {@code none} (plain float32 HNSW, {@code Lucene99HnswVectorsFormat}).
 * {@code confidenceInterval} optionally sets the quantile the quantizer clips to (Lucene's default
 * derives it from the dimension).
 *
 * <p>Solr 9.10's {@code SchemaCodecFactory} always writes float32 HNSW for dense vector fields;
 * configure {@link MultimodalCodecFactory} as the core's {@code codecFactory} so the format chosen
 * here is used. Segments record the format per field, so an index written this way opens with any
 * codec.
 */
public class QuantizedVectorField extends DenseVectorField {
  static final String QUANTIZATION = "quantization";
  static final String CONFIDENCE_INTERVAL = "confidenceInterval";

  /** The HNSW vector encodings this type offers. */
  public enum Quantization {
    NONE,
    INT8,
    INT4
  }

  private Quantization quantization = Quantization.INT8;
  private Float confidenceInterval;

  @Override
  public void init(IndexSchema schema, Map<String, String> args) {
    String q = args.remove(QUANTIZATION);
    if (q != null) {
      try {
        quantization = Quantization.valueOf(q.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new SolrException(
            ErrorCode.SERVER_ERROR,
            "fieldType " + typeName + ": quantization must be none, int8 or int4, got '" + q + "'");
      }
    }
    String ci = args.remove(CONFIDENCE_INTERVAL);
    if (ci != null) {
      confidenceInterval = Float.valueOf(ci);
    }
    super.init(schema, args);
    if (quantization != Quantization.NONE && getVectorEncoding() != VectorEncoding.FLOAT32) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR,
          "fieldType " + typeName + ": quantization needs vectorEncoding FLOAT32");
    }
  }

  public Quantization getQuantization() {
    return quantization;
  }

  /** The Lucene format this type's fields are written with. */
  public KnnVectorsFormat knnVectorsFormat() {
    return switch (quantization) {
      case NONE -> new Lucene99HnswVectorsFormat(getHnswMaxConn(), getHnswBeamWidth());
      case INT8 -> scalarQuantized(7, false);
      case INT4 -> scalarQuantized(4, true);
    };
  }

  private KnnVectorsFormat scalarQuantized(int bits, boolean compress) {
    return new Lucene99HnswScalarQuantizedVectorsFormat(
        getHnswMaxConn(), getHnswBeamWidth(), 1, bits, compress, confidenceInterval, null);
  }
}
