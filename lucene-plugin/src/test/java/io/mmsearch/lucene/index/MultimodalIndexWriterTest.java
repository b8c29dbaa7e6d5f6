package io.mmsearch.lucene.index;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.TestEncoders;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.InvalidDocumentException;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.lucene.search.MultimodalSearcher;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

/** Indexing, validation and the model guard. */
public class MultimodalIndexWriterTest extends LuceneTestCase {
  private static final int DIM = 8;
  private static final ModelIdentity MODEL = new ModelIdentity("sha256:aaaa", DIM);

  private MultimodalIndexConfig config(ModelIdentity model) {
    return MultimodalIndexConfig.builder(model)
        .writerTuning(iwc -> iwc.setMaxBufferedDocs(TestUtil.nextInt(random(), 2, 20)))
        .build();
  }

  private ImageDocument doc(String id, float[] vector) {
    return ImageDocument.builder(id)
        .caption("a red car")
        .className("Objects")
        .imageVector(vector)
        .build();
  }

  private static long count(MultimodalIndexWriter writer, org.apache.lucene.search.Query q)
      throws IOException {
    writer.refresh();
    IndexSearcher s = writer.searcherManager().acquire();
    try {
      return s.count(q);
    } finally {
      writer.searcherManager().release(s);
    }
  }

  public void testWrongDimensionIsRejectedNamingTheDocumentAndNothingIsIndexed()
      throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
      writer.upsert(doc("good", RandomImageCorpus.unitVector(random(), DIM)));
      InvalidDocumentException e =
          expectThrows(
              InvalidDocumentException.class,
              () -> writer.upsert(doc("bad", RandomImageCorpus.unitVector(random(), DIM + 1))));
      assertTrue(e.getMessage(), e.getMessage().contains("'bad'"));
      assertTrue(e.getMessage(), e.getMessage().contains("9 dimensions, the model has 8"));
      assertEquals(1, count(writer, new MatchAllDocsQuery()));
      assertEquals(0, count(writer, new TermQuery(new Term(ImageSchema.ID, "bad"))));
    }
  }

  public void testNonFiniteComponentIsRejectedWithoutAPartialDocument() throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
      float[] v = RandomImageCorpus.unitVector(random(), DIM);
      v[3] = random().nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY;
      InvalidDocumentException e =
          expectThrows(InvalidDocumentException.class, () -> writer.upsert(doc("nan", v)));
      assertTrue(e.getMessage(), e.getMessage().contains("'nan'"));
      assertTrue(e.getMessage(), e.getMessage().contains("component 3"));
      assertEquals(0, count(writer, new MatchAllDocsQuery()));
    }
  }

  public void testVectorNotOfUnitLengthIsRejected() throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
      float[] v = RandomImageCorpus.unitVector(random(), DIM);
      for (int i = 0; i < v.length; i++) v[i] *= 1.1f;
      InvalidDocumentException e =
          expectThrows(InvalidDocumentException.class, () -> writer.upsert(doc("long", v)));
      assertTrue(e.getMessage(), e.getMessage().contains("not unit length"));
      // A bad caption vector rejects the whole document, image vector included.
      ImageDocument badCaption =
          ImageDocument.builder("cap")
              .imageVector(RandomImageCorpus.unitVector(random(), DIM))
              .captionVector(new float[DIM])
              .build();
      e = expectThrows(InvalidDocumentException.class, () -> writer.upsert(badCaption));
      assertTrue(e.getMessage(), e.getMessage().contains(ImageSchema.CAPTION_VECTOR));
      assertEquals(0, count(writer, new MatchAllDocsQuery()));
    }
  }

  public void testBadDocumentInABatchIsReportedAndTheRestAreIndexed() throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
      float[] nan = RandomImageCorpus.unitVector(random(), DIM);
      nan[0] = Float.NaN;
      IndexingReport report =
          writer.upsertAll(
              List.of(
                  doc("a", RandomImageCorpus.unitVector(random(), DIM)),
                  doc("b", nan),
                  doc("c", RandomImageCorpus.unitVector(random(), DIM))));
      assertEquals(2, report.indexed());
      assertEquals(1, report.rejected().size());
      assertEquals(1, report.rejected().get(0).position());
      assertEquals("b", report.rejected().get(0).documentId());
      assertEquals(2, count(writer, new MatchAllDocsQuery()));
    }
  }

  public void testBuilderRejectsMissingIdOrVector() {
    expectThrows(
        InvalidDocumentException.class,
        () -> ImageDocument.builder(" ").imageVector(new float[] {1}).build());
    InvalidDocumentException e =
        expectThrows(InvalidDocumentException.class, () -> ImageDocument.builder("x").build());
    assertTrue(e.getMessage().contains("image vector is missing"));
  }

  public void testUpsertReplacesTheDocumentWithTheSameId() throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
      writer.upsert(doc("x", RandomImageCorpus.unitVector(random(), DIM)));
      writer.upsert(
          ImageDocument.builder("x")
              .caption("a blue boat")
              .imageVector(RandomImageCorpus.unitVector(random(), DIM))
              .build());
      assertEquals(1, count(writer, new TermQuery(new Term(ImageSchema.ID, "x"))));
      assertEquals(1, count(writer, new TermQuery(new Term(ImageSchema.CAPTION, "boat"))));
      assertEquals(0, count(writer, new TermQuery(new Term(ImageSchema.CAPTION, "car"))));
    }
  }

  public void testDeleteRemovesTheDocumentById() throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
      writer.upsert(doc("x", RandomImageCorpus.unitVector(random(), DIM)));
      writer.upsert(doc("y", RandomImageCorpus.unitVector(random(), DIM)));
      writer.delete("x");
      assertEquals(0, count(writer, new TermQuery(new Term(ImageSchema.ID, "x"))));
      assertEquals(1, count(writer, new MatchAllDocsQuery()));
    }
  }

  public void testModelIdentityIsInTheCommitUserData() throws IOException {
    try (Directory dir = newDirectory()) {
      try (MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
        writer.upsert(doc("x", RandomImageCorpus.unitVector(random(), DIM)));
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(
            MODEL,
            ModelIdentity.fromEntries(reader.getIndexCommit().getUserData(), "commit user data")
                .orElseThrow());
      }
    }
  }

  public void testOpeningForWriteWithAnotherModelNamesBothFingerprints() throws IOException {
    try (Directory dir = newDirectory()) {
      try (MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
        writer.upsert(doc("x", RandomImageCorpus.unitVector(random(), DIM)));
      }
      ModelIdentity other =
          random().nextBoolean()
              ? new ModelIdentity("sha256:bbbb", DIM)
              : new ModelIdentity("sha256:aaaa", 2 * DIM);
      ModelMismatchException e =
          expectThrows(
              ModelMismatchException.class, () -> MultimodalIndexWriter.open(dir, config(other)));
      assertTrue(e.getMessage(), e.getMessage().contains("sha256:aaaa (dimension 8)"));
      assertTrue(
          e.getMessage(),
          e.getMessage().contains(other.fingerprint() + " (dimension " + other.dimension() + ")"));
      // The refused open left the index untouched.
      try (MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
        assertEquals(1, count(writer, new MatchAllDocsQuery()));
      }
    }
  }

  public void testOpeningForSearchWithAnotherModelNamesBothFingerprints() throws IOException {
    try (Directory dir = newDirectory()) {
      try (MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
        writer.upsert(doc("x", RandomImageCorpus.unitVector(random(), DIM)));
      }
      ModelIdentity other = new ModelIdentity("sha256:cccc", DIM);
      ModelMismatchException e =
          expectThrows(
              ModelMismatchException.class,
              () ->
                  MultimodalSearcher.builder()
                      .directory(dir, other)
                      .exactScorer(new JavaExactScorer())
                      .build());
      assertTrue(e.getMessage(), e.getMessage().contains("sha256:aaaa"));
      assertTrue(e.getMessage(), e.getMessage().contains("sha256:cccc"));
    }
  }

  public void testQueryEncoderOfAnotherModelIsRefused() throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, config(MODEL))) {
      ModelIdentity other = new ModelIdentity("sha256:dddd", DIM);
      ModelMismatchException e =
          expectThrows(
              ModelMismatchException.class,
              () ->
                  MultimodalSearcher.builder()
                      .nearRealTime(writer)
                      .queryEncoder(TestEncoders.deterministic(other, Map.of()))
                      .exactScorer(new JavaExactScorer())
                      .build());
      assertTrue(e.getMessage(), e.getMessage().contains("sha256:dddd"));
      assertTrue(e.getMessage(), e.getMessage().contains("sha256:aaaa"));
    }
  }

  public void testConfiguredFormatIsUsedAndFullPrecisionVectorsStayReadable() throws IOException {
    VectorFormat format = VectorFormat.values()[random().nextInt(VectorFormat.values().length)];
    List<ImageDocument> docs = RandomImageCorpus.documents(random(), 50, DIM);
    try (Directory dir = newDirectory()) {
      MultimodalIndexConfig cfg =
          MultimodalIndexConfig.builder(MODEL)
              .imageVectorConfig(new VectorFieldConfig(format, 8, 50))
              .build();
      try (MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, cfg)) {
        writer.upsertAll(docs);
      }
      // Each segment records the per-field format by name; the randomized default codec of the
      // test framework must not have replaced it.
      String expectedFormat = cfg.imageVectorConfig().knnVectorsFormat().getName();
      assertEquals(
          format == VectorFormat.FLOAT32, expectedFormat.equals("Lucene99HnswVectorsFormat"));
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        int seen = 0;
        for (LeafReaderContext leaf : reader.leaves()) {
          assertEquals(
              expectedFormat,
              leaf.reader()
                  .getFieldInfos()
                  .fieldInfo(ImageSchema.IMAGE_VECTOR)
                  .getAttribute("PerFieldKnnVectorsFormat.format"));
          FloatVectorValues values = leaf.reader().getFloatVectorValues(ImageSchema.IMAGE_VECTOR);
          KnnVectorValues.DocIndexIterator it = values.iterator();
          for (int d = it.nextDoc();
              d != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS;
              d = it.nextDoc()) {
            String id = leaf.reader().storedFields().document(d).get(ImageSchema.ID);
            float[] original = docs.get(Integer.parseInt(id.substring(1))).imageVector();
            assertArrayEquals(original, values.vectorValue(it.index()), 0f);
            seen++;
          }
        }
        assertEquals(docs.size(), seen);
      }
    }
  }
}
