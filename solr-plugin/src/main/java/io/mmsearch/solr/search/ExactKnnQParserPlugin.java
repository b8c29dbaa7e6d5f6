package io.mmsearch.solr.search;

import io.mmsearch.semantics.InvalidQueryException;
import io.mmsearch.semantics.SearchDepth;
import io.mmsearch.semantics.recall.CandidatePlanner;
import io.mmsearch.semantics.recall.LayoutCalibrations;
import io.mmsearch.semantics.recall.QueryKind;
import io.mmsearch.semantics.recall.RecallEstimate;
import io.mmsearch.solr.recall.CoreCalibrations;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.core.SolrCore;
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
 * <p>With {@code recall=R window=W kinds=image,text} (written by the component unless the request
 * set {@code mmsearch.candidates} or {@code mmsearch.oversample}) the shard replaces {@code topK}
 * by the count its own calibration ({@link CoreCalibrations}) says reaches recall@W R for those
 * kinds of query (the harder kind decides), as the embedded index does per reader (the calibrations
 * live in the core's {@link MultimodalSearchComponent}); {@code topK} stays the count of a core
 * whose first calibration is still being measured. The filter's share is not taken into account
 * here (a filtered request fetches the unfiltered count: more, not fewer, than it needs).
 *
 * <pre>{@code <queryParser name="mmknn" class="io.mmsearch.solr.search.ExactKnnQParserPlugin"/>}
 * </pre>
 */
public class ExactKnnQParserPlugin extends QParserPlugin {
  /** The name the configset registers this parser under. */
  public static final String NAME = "mmknn";

  /** Local parameter: the target recall@window, in (0, 1]. */
  public static final String RECALL = "recall";

  /** Local parameter: the window the target recall is for. */
  public static final String WINDOW = "window";

  /** Local parameter: the kinds of query the vector mixes, {@code image} and/or {@code text}. */
  public static final String KINDS = "kinds";

  @Override
  public QParser createParser(
      String qstr, SolrParams localParams, SolrParams params, SolrQueryRequest req) {
    SolrParams local = withPlannedCount(localParams, req);
    return new KnnQParser(qstr, local, params, req) {
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

  /**
   * {@code localParams} with {@code topK} replaced by this shard's count for the target recall, if
   * the query asks for one and the core has a calibration of the field.
   */
  private SolrParams withPlannedCount(SolrParams localParams, SolrQueryRequest req) {
    CoreCalibrations calibrations = calibrationsOf(req.getCore());
    if (localParams == null || localParams.get(RECALL) == null || calibrations == null) {
      return localParams;
    }
    String field = localParams.get("f");
    int window = localParams.getInt(WINDOW, localParams.getInt("topK", 10));
    double recall;
    try {
      recall = Double.parseDouble(localParams.get(RECALL));
    } catch (NumberFormatException e) {
      throw new SolrException(
          SolrException.ErrorCode.BAD_REQUEST,
          "{!" + NAME + "} " + RECALL + " must be a number, got '" + localParams.get(RECALL) + "'");
    }
    Set<QueryKind> kinds = EnumSet.noneOf(QueryKind.class);
    for (String kind : localParams.get(KINDS, "image").split(",")) {
      kinds.add(kind.strip().equalsIgnoreCase("text") ? QueryKind.TEXT : QueryKind.IMAGE);
    }
    SearchDepth depth;
    try {
      depth = new SearchDepth(window, 0, window, 0, 0f, recall);
    } catch (InvalidQueryException e) {
      throw new SolrException(
          SolrException.ErrorCode.BAD_REQUEST, "{!" + NAME + "} " + e.getMessage(), e);
    }
    Optional<LayoutCalibrations.Current> calibration =
        calibrations.forReader(req.getSearcher().getIndexReader(), field);
    if (calibration.isEmpty()) {
      return localParams; // none yet: the coordinator's default count
    }
    RecallEstimate plan =
        CandidatePlanner.plan(
            depth,
            kinds,
            1.0,
            localParams.getBool("rerank", true),
            calibration.map(LayoutCalibrations.Current::calibration),
            calibration.get().current());
    ModifiableSolrParams planned = new ModifiableSolrParams(localParams);
    planned.set("topK", plan.candidates());
    return planned;
  }

  /** The core's calibrations, held by its mmsearch component; null if it has none. */
  private static CoreCalibrations calibrationsOf(SolrCore core) {
    if (core == null) {
      return null;
    }
    Object component = core.getSearchComponent(MultimodalSearchComponent.COMPONENT_NAME);
    return component instanceof MultimodalSearchComponent
        ? ((MultimodalSearchComponent) component).calibrations()
        : null;
  }

  /** The {@link #KINDS} value of a set of kinds. */
  public static String kinds(Set<QueryKind> kinds) {
    StringBuilder s = new StringBuilder();
    for (QueryKind k : kinds) {
      s.append(s.length() == 0 ? "" : ",").append(k.name().toLowerCase(Locale.ROOT));
    }
    return s.toString();
  }
}
