package io.mmsearch.lucene.schema;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * Every limit the validator enforces is Lucene's own (or the configured stored value size): a value
 * at the limit is indexed, one unit over it is rejected naming the field, and the same value given
 * to Lucene directly fails inside the writer. A rejected document never stops the writer.
 */
public class DocumentValidatorTest extends LuceneTestCase {
  private static final int DIM = 8;
  private static final ModelIdentity MODEL = new ModelIdentity("sha256:limits", DIM);

  private ImageDocument.Builder doc(String id) {
    return ImageDocument.builder(id).imageVector(RandomImageCorpus.unitVector(random(), DIM));
  }

  private static String repeat(String s, int times) {
    return s.repeat(times);
  }

  /** Upserts {@code ok} (must succeed) and {@code over} (must be rejected for {@code field}). */
  private void assertLimit(ImageDocument ok, ImageDocument over, String field, String reasonPart)
      throws IOException {
    try (Directory dir = newDirectory();
        MultimodalIndexWriter writer =
            MultimodalIndexWriter.open(dir, MultimodalIndexConfig.builder(MODEL).build())) {
      writer.upsert(ok);
      InvalidDocumentException e =
          expectThrows(InvalidDocumentException.class, () -> writer.upsert(over));
      assertEquals(field, e.field());
      assertTrue(e.getMessage(), e.getMessage().contains(reasonPart));
      assertTrue(
          "the message stays short: " + e.getMessage().length(), e.getMessage().length() < 400);
      writer.upsert(doc("after").build());
      writer.refresh();
      IndexSearcher s = writer.searcherManager().acquire();
      try {
        assertEquals(2, s.count(new MatchAllDocsQuery()));
      } finally {
        writer.searcherManager().release(s);
      }
    }
  }

  /** Lucene itself refuses the document: proof that the limit checked is the real one. */
  private void assertLuceneRefuses(ImageDocument over) throws IOException {
    try (Directory dir = newDirectory();
        IndexWriter raw = new IndexWriter(dir, new IndexWriterConfig(ImageSchema.newAnalyzer()))) {
      expectThrows(
          IllegalArgumentException.class,
          () -> raw.addDocument(ImageSchema.toLuceneDocument(over)));
    }
  }

  public void testIdAtTheTermLimitIsIndexedAndOneByteMoreIsRejected() throws IOException {
    ImageDocument ok = doc(repeat("a", DocumentValidator.MAX_TERM_BYTES)).build();
    ImageDocument over = doc(repeat("a", DocumentValidator.MAX_TERM_BYTES + 1)).build();
    assertLimit(ok, over, ImageSchema.ID, "over Lucene's term limit of 32766");
    assertLuceneRefuses(over);
  }

  public void testTermLimitCountsUtf8BytesNotChars() throws IOException {
    // 3 bytes per char: 10923 chars are 32769 bytes.
    ImageDocument ok = doc("x").mime(repeat("\u20ac", 10922)).build();
    ImageDocument over = doc("y").mime(repeat("\u20ac", 10923)).build();
    assertLimit(ok, over, ImageSchema.MIME, "32769 bytes");
    assertLuceneRefuses(over);
  }

  public void testClassAtTheFacetPathLimitIsIndexedAndOneCharMoreIsRejected() throws IOException {
    int max = DocumentValidator.MAX_FACET_PATH_CHARS - ImageSchema.CLASS.length() - 1;
    ImageDocument ok = doc("ok").className(repeat("c", max)).build();
    ImageDocument over = doc("over").className(repeat("c", max + 1)).build();
    assertLimit(ok, over, ImageSchema.CLASS, "facet path limit of " + max);
    // The facet module refuses it while building the Lucene document.
    expectThrows(IllegalArgumentException.class, () -> ImageSchema.toLuceneDocument(over));
  }

  public void testCaptionAndKeywordsOverTheStoredLimitAreRejected() throws IOException {
    int limit = DocumentValidator.DEFAULT_MAX_STORED_BYTES;
    assertLimit(
        doc("ok").caption(repeat("w ", limit / 2)).build(),
        doc("over").caption(repeat("w ", limit / 2) + "w").build(),
        ImageSchema.CAPTION,
        "over the stored value limit of " + limit);
    assertLimit(
        doc("ok").keywords(List.of("fine", repeat("k", limit))).build(),
        doc("over").keywords(List.of("fine", repeat("k", limit + 1))).build(),
        ImageSchema.KEYWORDS,
        "a keyword is " + (limit + 1) + " bytes");
  }

  public void testVectorProblemsNameTheVectorField() throws IOException {
    float[] v = RandomImageCorpus.unitVector(random(), DIM);
    v[0] = Float.NaN;
    assertLimit(
        doc("ok").build(),
        doc("nan").imageVector(v).build(),
        ImageSchema.IMAGE_VECTOR,
        "not finite");
    assertLimit(
        doc("ok").build(),
        doc("short").captionVector(new float[DIM - 1]).build(),
        ImageSchema.CAPTION_VECTOR,
        "7 dimensions, the model has 8");
  }

  public void testProblemChecksOneFieldBeforeADocumentExists() {
    DocumentValidator v = MultimodalIndexConfig.builder(MODEL).build().documentValidator();
    assertTrue(v.problem(ImageSchema.ID, " ").isPresent());
    assertTrue(v.problem(ImageSchema.CLASS, "").isPresent());
    assertFalse(v.problem(ImageSchema.CLASS, null).isPresent());
    assertFalse(v.problem(ImageSchema.CAPTION, "a red car").isPresent());
  }

  public void testConfiguredStoredLimitApplies() {
    DocumentValidator v =
        MultimodalIndexConfig.builder(MODEL).maxStoredBytes(10).build().documentValidator();
    assertFalse(v.problem(ImageSchema.CAPTION, "0123456789").isPresent());
    assertTrue(v.problem(ImageSchema.CAPTION, "0123456789!").isPresent());
    expectThrows(
        IllegalArgumentException.class,
        () -> MultimodalIndexConfig.builder(MODEL).maxStoredBytes(0).build());
  }
}
