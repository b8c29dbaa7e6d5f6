package io.mmsearch.solr.search;

import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QParserPlugin;
import org.apache.solr.search.SyntaxError;
import org.apache.solr.search.neural.KnnQParser;

/**
 * {@code {!mmknn f=image_vec topK=100}[0.1, 0.2, ...]}: Solr's {@code {!knn}} (same local params,
 * same {@code preFilter}/{@code fq} handling) whose candidates are re-scored exactly on the
 * full-precision vectors ({@link ExactRescoreQuery}); {@code rerank=false} gives plain {@code
 * {!knn}}. It takes a vector, never text: query text and images are encoded once per request on the
 * coordinating node by {@link MultimodalSearchComponent}, which writes this query for the shards.
 *
 * <pre>{@code <queryParser name="mmknn" class="io.mmsearch.solr.search.ExactKnnQParserPlugin"/>}
 * </pre>
 */
public class ExactKnnQParserPlugin extends QParserPlugin {
  /** The name the configset registers this parser under. */
  public static final String NAME = "mmknn";

  @Override
  public QParser createParser(
      String qstr, SolrParams localParams, SolrParams params, SolrQueryRequest req) {
    return new KnnQParser(qstr, localParams, params, req) {
      @Override
      public Query parse() throws SyntaxError {
        Query knn = super.parse();
        if (!localParams.getBool("rerank", true)) {
          return knn;
        }
        if (!(knn instanceof KnnFloatVectorQuery floatKnn)) {
          throw new SolrException(
              SolrException.ErrorCode.BAD_REQUEST,
              "{!" + NAME + "} re-ranks float32 vector fields only");
        }
        SchemaField field = req.getSchema().getField(floatKnn.getField());
        DenseVectorField type = (DenseVectorField) field.getType();
        return new ExactRescoreQuery(floatKnn, type.getSimilarityFunction());
      }
    };
  }
}
