package io.mmsearch.lucene.search;

import io.mmsearch.lucene.encode.QueryEncoder;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.VectorMix;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Builds the one query vector of a request from its {@link VectorPart}s: each part is resolved
 * (text and image through the {@link QueryEncoder}, a document to find more like by its stored
 * full-precision vector) and mixed by the shared {@link VectorMix} (the Solr plugin mixes with the
 * same code): each checked (model dimension, every component finite, not zero) and unit-normalised
 * once, summed with its weight, and the sum normalised once:
 *
 * <pre>target = normalise(Σ_i w_i · v_i / |v_i|)</pre>
 *
 * <p>So a single part's weight does not matter, and {@code near:"x"^2 like:y} means {@code 2x̂ +
 * ŷ}, whatever lengths the sources had. Thread-safe if the encoder is; does not own it.
 */
public final class QueryVectorMixer {
  private final QueryEncoder encoder;
  private final int dimension;

  /**
   * @param encoder embeds text and image parts; may be null if requests carry only raw vectors and
   *     documents to find more like
   * @param dimension the model's embedding dimension
   */
  public QueryVectorMixer(QueryEncoder encoder, int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    this.encoder = encoder;
    this.dimension = dimension;
  }

  /**
   * The unit query vector of {@code parts}.
   *
   * @param searcher reads the stored vectors of documents to find more like
   * @param field the vector field those are read from
   * @throws io.mmsearch.semantics.InvalidQueryException if there are no parts, a part cannot be
   *     used (unknown document, wrong dimension, not finite, zero) or the weighted sum is zero; the
   *     message names the part
   * @throws io.mmsearch.encoders.error.EncodingException (or whatever the encoder throws) if text
   *     or an image cannot be encoded
   */
  public float[] mix(List<VectorPart> parts, IndexSearcher searcher, String field)
      throws IOException {
    if (parts.isEmpty()) {
      throw new InvalidRequestException("the request has no vector part");
    }
    VectorMix mix = VectorMix.of(dimension);
    for (VectorPart part : parts) {
      mix.add(describe(part), resolve(part, searcher, field), part.weight());
    }
    return mix.target();
  }

  private float[] resolve(VectorPart part, IndexSearcher searcher, String field)
      throws IOException {
    return switch (part) {
      case VectorPart.Text t -> requireEncoder("text").encodeText(t.text());
      case VectorPart.Image i -> requireEncoder("image").encodeImage(i.bytes());
      case VectorPart.Raw r -> r.vector();
      case VectorPart.Like l ->
          storedVector(searcher, l.id(), field)
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "like '"
                              + l.id()
                              + "': no live document with that id has a "
                              + field
                              + " vector"));
    };
  }

  private QueryEncoder requireEncoder(String kind) {
    if (encoder == null) {
      throw new InvalidRequestException(
          "a " + kind + " query needs a query encoder, and this searcher has none");
    }
    return encoder;
  }

  private static String describe(VectorPart part) {
    return switch (part) {
      case VectorPart.Text t -> "the vector of text '" + t.text() + "'";
      case VectorPart.Image i -> "the vector of the query image";
      case VectorPart.Raw r -> "the query vector";
      case VectorPart.Like l -> "the vector of document '" + l.id() + "'";
    };
  }

  /**
   * The stored full-precision vector of the live document with this id.
   *
   * @return empty if there is no such document or it has no vector in {@code field}
   */
  public static Optional<float[]> storedVector(IndexSearcher searcher, String id, String field)
      throws IOException {
    TopDocs td = searcher.search(new TermQuery(new Term(ImageSchema.ID, id)), 1);
    if (td.scoreDocs.length == 0) {
      return Optional.empty();
    }
    int doc = td.scoreDocs[0].doc;
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
    if (values == null) {
      return Optional.empty();
    }
    KnnVectorValues.DocIndexIterator it = values.iterator();
    int local = doc - leaf.docBase;
    if (it.advance(local) != local) {
      return Optional.empty();
    }
    return Optional.of(values.vectorValue(it.index()).clone());
  }
}
