package io.mmsearch.lucene.rerank;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.index.RandomIndexWriter;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

public class VectorBlockTest extends LuceneTestCase {
  private static final String FIELD = "image_vec";

  private static KnnVectorsFormat randomFormat() {
    return switch (random().nextInt(4)) {
      case 0 -> new Lucene99HnswVectorsFormat();
      case 1 ->
          new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, 16, 100);
      case 2 ->
          new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, 16, 100);
      default ->
          new Lucene104HnswScalarQuantizedVectorsFormat(
              ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, 16, 100);
    };
  }

  /** Indexes random unit vectors (some docs without one, some deleted); returns id -> vector. */
  private static Map<String, float[]> index(Directory dir, KnnVectorsFormat format, int dim)
      throws Exception {
    IndexWriterConfig config = newIndexWriterConfig();
    config.setCodec(TestUtil.alwaysKnnVectorsFormat(format));
    Map<String, float[]> live = new HashMap<>();
    try (RandomIndexWriter writer = new RandomIndexWriter(random(), dir, config)) {
      int n = atLeast(300);
      for (int i = 0; i < n; i++) {
        Document doc = new Document();
        String id = Integer.toString(i);
        doc.add(new StringField("id", id, Field.Store.YES));
        if (random().nextInt(10) != 0) {
          float[] v = RandomVectors.unit(random(), 1, dim);
          doc.add(new KnnFloatVectorField(FIELD, v, VectorSimilarityFunction.DOT_PRODUCT));
          live.put(id, v);
        }
        writer.addDocument(doc);
      }
      for (int i = 0; i < n / 10; i++) {
        String id = Integer.toString(random().nextInt(n));
        writer.deleteDocuments(new Term("id", id));
        live.remove(id);
      }
    }
    return live;
  }

  public void testReadAllReturnsTheOriginalFloatsOfLiveDocsWhateverTheQuantizedFormat()
      throws Exception {
    int dim = 4 * (1 + random().nextInt(40));
    KnnVectorsFormat format = randomFormat();
    try (Directory dir = newDirectory()) {
      Map<String, float[]> expected = index(dir, format, dim);
      try (IndexReader reader = DirectoryReader.open(dir)) {
        VectorBlock block = VectorBlock.readAll(reader, FIELD);
        assertEquals(format.toString(), expected.size(), block.size());
        assertEquals(dim, block.dimension());
        StoredFields stored = reader.storedFields();
        for (int row = 0; row < block.size(); row++) {
          if (row > 0) {
            assertTrue(block.docId(row - 1) < block.docId(row));
          }
          String id = stored.document(block.docId(row)).get("id");
          assertArrayEquals(format + " doc " + id, expected.get(id), block.vector(row), 0f);
        }
      }
    }
  }

  public void testReadReturnsRequestedDocsInTheGivenOrder() throws Exception {
    int dim = 16;
    try (Directory dir = newDirectory()) {
      Map<String, float[]> expected = index(dir, randomFormat(), dim);
      try (IndexReader reader = DirectoryReader.open(dir)) {
        VectorBlock all = VectorBlock.readAll(reader, FIELD);
        List<Integer> wanted = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          wanted.add(all.docId(random().nextInt(all.size())));
        }
        int[] docs = wanted.stream().mapToInt(Integer::intValue).toArray();
        VectorBlock block = VectorBlock.read(reader, FIELD, docs);
        StoredFields stored = reader.storedFields();
        for (int i = 0; i < docs.length; i++) {
          assertEquals(docs[i], block.docId(i));
          String id = stored.document(docs[i]).get("id");
          assertArrayEquals(expected.get(id), block.vector(i), 0f);
        }
      }
    }
  }

  public void testReadNamesTheDocThatHasNoVector() throws Exception {
    try (Directory dir = newDirectory()) {
      try (RandomIndexWriter writer = new RandomIndexWriter(random(), dir)) {
        Document withVector = new Document();
        withVector.add(new KnnFloatVectorField(FIELD, new float[] {1, 0}));
        writer.addDocument(withVector);
        writer.addDocument(new Document());
        writer.forceMerge(1);
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IllegalArgumentException e =
            expectThrows(
                IllegalArgumentException.class,
                () -> VectorBlock.read(reader, FIELD, new int[] {0, 1}));
        assertTrue(e.getMessage(), e.getMessage().contains("doc 1 has no vector in field"));
      }
    }
  }

  public void testBlockMustHoldWholeVectors() {
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> VectorBlock.of(new float[10], 4));
    assertTrue(e.getMessage(), e.getMessage().contains("not a whole number of 4-d vectors"));
  }
}
