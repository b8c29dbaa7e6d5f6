package io.mmsearch.solr.schema;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.solr.core.SchemaCodecFactory;
import org.apache.solr.core.SolrCore;
import org.apache.solr.schema.SchemaField;

/**
 * Solr's {@link SchemaCodecFactory} (per-field postings and doc values formats from the schema)
 * plus the vector format of {@link QuantizedVectorField}s. Other vector fields keep Solr's format.
 *
 * <pre>{@code <codecFactory class="io.mmsearch.solr.schema.MultimodalCodecFactory"/>}</pre>
 */
public class MultimodalCodecFactory extends SchemaCodecFactory {
  private volatile SolrCore core;
  private volatile Codec codec;

  @Override
  public void inform(SolrCore core) {
    super.inform(core);
    this.core = core;
  }

  @Override
  public Codec getCodec() {
    Codec c = codec;
    if (c == null) {
      c = new VectorFormatCodec(super.getCodec());
      codec = c;
    }
    return c;
  }

  /** The schema codec with the vector formats chosen per field by the field type. */
  private final class VectorFormatCodec extends FilterCodec {
    private final KnnVectorsFormat vectors;

    VectorFormatCodec(Codec schemaCodec) {
      // Same name as the schema codec: on read, Lucene finds each field's format by the name the
      // segment recorded, so this codec is only needed for writing.
      super(schemaCodec.getName(), schemaCodec);
      PerFieldKnnVectorsFormat schemaVectors =
          (PerFieldKnnVectorsFormat) schemaCodec.knnVectorsFormat();
      this.vectors =
          new PerFieldKnnVectorsFormat() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
              SchemaField sf = core.getLatestSchema().getFieldOrNull(field);
              if (sf != null && sf.getType() instanceof QuantizedVectorField q) {
                return q.knnVectorsFormat();
              }
              return schemaVectors.getKnnVectorsFormatForField(field);
            }
          };
    }

    @Override
    public KnnVectorsFormat knnVectorsFormat() {
      return vectors;
    }
  }
}
