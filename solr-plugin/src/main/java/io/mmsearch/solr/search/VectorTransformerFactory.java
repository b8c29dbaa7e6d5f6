package io.mmsearch.solr.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.transform.DocTransformer;
import org.apache.solr.response.transform.TransformerFactory;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.SchemaField;

/**
 * {@code fl=id,[vector f=image_vec]}: returns a document's full-precision vector, read from the
 * vector index itself, so the field need not be stored. This is how the coordinating node fetches
 * the vector of a like-this document.
 *
 * <pre>
 * {@code <transformer name="vector" class="io.mmsearch.solr.search.VectorTransformerFactory"/>}
 * </pre>
 */
public class VectorTransformerFactory extends TransformerFactory {

  @Override
  public DocTransformer create(String name, SolrParams params, SolrQueryRequest req) {
    String field = params.get("f");
    if (field == null) {
      throw new SolrException(
          SolrException.ErrorCode.BAD_REQUEST, name + " needs f=<vector field>");
    }
    SchemaField sf = req.getSchema().getField(field);
    if (!(sf.getType() instanceof DenseVectorField)) {
      throw new SolrException(
          SolrException.ErrorCode.BAD_REQUEST, name + ": " + field + " is not a vector field");
    }
    return new DocTransformer() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public void transform(SolrDocument doc, int docid) throws IOException {
        List<LeafReaderContext> leaves = context.getSearcher().getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docid, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
        int local = docid - leaf.docBase;
        if (values != null && values.advance(local) == local) {
          float[] v = values.vectorValue();
          List<Float> list = new ArrayList<>(v.length);
          for (float f : v) {
            list.add(f);
          }
          doc.setField(name, list);
        }
      }
    };
  }
}
