package io.mmsearch.solr.search;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.ContentStream;
import org.apache.solr.handler.component.SearchHandler;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrQueryRequestBase;
import org.apache.solr.response.SolrQueryResponse;

/**
 * Solr's {@link SearchHandler} that also accepts a query image as the request body ({@code
 * Content-Type: image/*} or {@code application/octet-stream}, raw or as a multipart file). Solr's
 * search handler takes only JSON bodies, so this one takes the image aside for {@link
 * MultimodalSearchComponent} before handing the request on. Everything else is Solr's.
 *
 * <pre>
 * {@code <requestHandler name="/select" class="io.mmsearch.solr.search.MultimodalSearchHandler">}
 * </pre>
 */
public class MultimodalSearchHandler extends SearchHandler {
  /** Request context key of the uploaded image bytes. */
  static final String UPLOADED_IMAGE = MultimodalSearchHandler.class.getName() + ".image";

  @Override
  public void handleRequest(SolrQueryRequest req, SolrQueryResponse rsp) {
    Iterable<ContentStream> streams = req.getContentStreams();
    if (streams != null && req instanceof SolrQueryRequestBase base) {
      List<ContentStream> rest = new ArrayList<>();
      for (ContentStream s : streams) {
        if (isImage(s) && !req.getContext().containsKey(UPLOADED_IMAGE)) {
          try (InputStream in = s.getStream()) {
            req.getContext().put(UPLOADED_IMAGE, in.readAllBytes());
          } catch (IOException e) {
            rsp.setException(
                new SolrException(
                    SolrException.ErrorCode.BAD_REQUEST,
                    "cannot read the uploaded image: " + e,
                    e));
            return;
          }
        } else {
          rest.add(s);
        }
      }
      base.setContentStreams(rest.isEmpty() ? null : rest);
    }
    super.handleRequest(req, rsp);
  }

  private static boolean isImage(ContentStream s) {
    String type = s.getContentType() == null ? "" : s.getContentType().toLowerCase(Locale.ROOT);
    return type.startsWith("image/") || type.startsWith("application/octet-stream");
  }

  @Override
  public String getDescription() {
    return "Search handler that also takes a query image as the request body (mmsearch)";
  }
}
