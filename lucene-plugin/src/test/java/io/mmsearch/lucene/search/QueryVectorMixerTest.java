package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.TestEncoders;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.parser.MultimodalQueryParser;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.InvalidQueryException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/** One query vector from many parts: each unit-normalised once, weighted, the sum normalised. */
public class QueryVectorMixerTest extends LuceneTestCase {
  private static final int DIM = 8;
  private static final ModelIdentity MODEL = new ModelIdentity("mixer-test-model", DIM);

  private Directory dir;
  private DirectoryReader reader;
  private IndexSearcher indexSearcher;
  private List<ImageDocument> docs;
  private TestEncoders.CountingEncoder encoder;
  private QueryVectorMixer mixer;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    dir = newDirectory();
    docs = RandomImageCorpus.documents(random(), 100, DIM);
    try (MultimodalIndexWriter w =
        MultimodalIndexWriter.open(dir, MultimodalIndexConfig.builder(MODEL).build())) {
      w.upsertAll(docs);
    }
    reader = DirectoryReader.open(dir);
    indexSearcher = newSearcher(reader, false);
    encoder = TestEncoders.deterministic(MODEL, Map.of());
    mixer = new QueryVectorMixer(encoder, DIM);
  }

  @Override
  public void tearDown() throws Exception {
    reader.close();
    dir.close();
    super.tearDown();
  }

  private float[] mix(VectorPart... parts) throws IOException {
    return mixer.mix(List.of(parts), indexSearcher, ImageSchema.IMAGE_VECTOR);
  }

  private static float[] expected(float[][] vectors, float[] weights) {
    double[] sum = new double[DIM];
    for (int p = 0; p < vectors.length; p++) {
      double norm = 0;
      for (float x : vectors[p]) norm += (double) x * x;
      for (int i = 0; i < DIM; i++) sum[i] += weights[p] * vectors[p][i] / Math.sqrt(norm);
    }
    double norm = 0;
    for (double x : sum) norm += x * x;
    float[] out = new float[DIM];
    for (int i = 0; i < DIM; i++) out[i] = (float) (sum[i] / Math.sqrt(norm));
    return out;
  }

  public void testPartsAreUnitNormalisedWeightedAndTheSumNormalised() throws IOException {
    float[] raw = new float[DIM];
    for (int i = 0; i < DIM; i++) raw[i] = 5 * (float) random().nextGaussian(); // not unit length
    ImageDocument like = docs.get(random().nextInt(docs.size()));
    float wt = 0.5f + random().nextFloat();
    float wr = 0.5f + random().nextFloat();
    float wl = 0.5f + random().nextFloat();
    float[] target =
        mix(
            new VectorPart.Text("a red car", wt),
            new VectorPart.Raw(raw, wr),
            new VectorPart.Like(like.id(), wl));
    float[] want =
        expected(
            new float[][] {TestEncoders.vectorOf("a red car", DIM), raw, like.imageVector()},
            new float[] {wt, wr, wl});
    assertArrayEquals(want, target, 1e-6f);
    double norm = 0;
    for (float x : target) norm += x * x;
    assertEquals("the mix is unit length", 1.0, norm, 1e-6);
  }

  public void testTheWeightOfASinglePartDoesNotMatter() throws IOException {
    float[] raw = RandomImageCorpus.unitVector(random(), DIM);
    assertArrayEquals(mix(new VectorPart.Raw(raw, 1f)), mix(new VectorPart.Raw(raw, 7.5f)), 1e-7f);
  }

  /**
   * Fails on main 02f853c: the parser applied the boost and the searcher applied it again, so
   * {@code near:"x"^2 like:y} mixed 4x + y instead of 2x + y.
   */
  public void testABoostedNearClauseIsWeighedOnceAgainstLike() throws Exception {
    ImageDocument like = docs.get(7);
    try (Analyzer analyzer = ImageSchema.newAnalyzer();
        MultimodalSearcher searcher =
            MultimodalSearcher.builder()
                .directory(dir, MODEL)
                .queryEncoder(encoder)
                .exactScorer(new JavaExactScorer())
                .build()) {
      SearchRequest parsed =
          new MultimodalQueryParser(analyzer)
              .parseRequest("near:\"x\"^2 like:" + like.id())
              .k(20)
              .size(20)
              .build();
      float[] twoXPlusY =
          expected(
              new float[][] {TestEncoders.vectorOf("x", DIM), like.imageVector()},
              new float[] {2f, 1f});
      SearchRequest byVector = SearchRequest.builder().vector(twoXPlusY).k(21).size(21).build();
      List<Hit> a = searcher.search(parsed).hits();
      List<Hit> b =
          searcher.search(byVector).hits().stream()
              .filter(h -> !h.id().equals(like.id()))
              .limit(a.size())
              .toList();
      assertEquals(b.size(), a.size());
      for (int i = 0; i < a.size(); i++) {
        assertEquals(b.get(i).id(), a.get(i).id());
        assertEquals(b.get(i).score(), a.get(i).score(), 1e-6f);
      }
    }
  }

  public void testUnusablePartsAreInvalidRequestsNamingThePart() {
    InvalidQueryException unknown =
        expectThrows(InvalidQueryException.class, () -> mix(new VectorPart.Like("nope", 1f)));
    assertTrue(unknown.getMessage(), unknown.getMessage().contains("'nope'"));
    InvalidQueryException dims =
        expectThrows(InvalidQueryException.class, () -> mix(new VectorPart.Raw(new float[3], 1f)));
    assertTrue(dims.getMessage(), dims.getMessage().contains("3 dimensions"));
    float[] nan = RandomImageCorpus.unitVector(random(), DIM);
    nan[2] = Float.NaN;
    expectThrows(InvalidQueryException.class, () -> mix(new VectorPart.Raw(nan, 1f)));
    expectThrows(InvalidQueryException.class, () -> mix(new VectorPart.Raw(new float[DIM], 1f)));
    float[] v = RandomImageCorpus.unitVector(random(), DIM);
    expectThrows(InvalidQueryException.class, () -> mix(new VectorPart.Raw(v, 0f)));
  }

  public void testTextWithoutAnEncoderIsAnInvalidRequest() {
    QueryVectorMixer noEncoder = new QueryVectorMixer(null, DIM);
    InvalidQueryException e =
        expectThrows(
            InvalidQueryException.class,
            () ->
                noEncoder.mix(
                    List.of(new VectorPart.Text("cat", 1f)),
                    indexSearcher,
                    ImageSchema.IMAGE_VECTOR));
    assertTrue(e.getMessage(), e.getMessage().contains("query encoder"));
  }
}
