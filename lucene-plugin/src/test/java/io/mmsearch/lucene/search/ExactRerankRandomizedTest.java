package io.mmsearch.lucene.search;

import com.carrotsearch.randomizedtesting.generators.RandomPicks;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.rerank.VectorBlock;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.VectorFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

/**
 * With as many HNSW candidates as documents, HNSW + exact re-rank must return exactly the top k of
 * a flat exact search, whatever the vector format, segment structure, deletes and merges.
 */
public class ExactRerankRandomizedTest extends LuceneTestCase {
  private static final int DIM = 24;
  private static final ModelIdentity MODEL = new ModelIdentity("rerank-test-model", DIM);

  public void testRerankedTopKEqualsFlatExactTopKAcrossSegmentsAndDeletes() throws IOException {
    VectorFormat format = VectorFormat.values()[random().nextInt(VectorFormat.values().length)];
    checkAgainstFlatExact(format, 0.15, false, Set.of());
  }

  public void testRerankedTopKEqualsFlatExactTopKAfterForceMerge() throws IOException {
    VectorFormat format = VectorFormat.values()[random().nextInt(VectorFormat.values().length)];
    checkAgainstFlatExact(format, 0.1, true, Set.of());
  }

  public void testEveryQuantizedFormatReranksToTheExactTopK() throws IOException {
    for (VectorFormat format : VectorFormat.values()) {
      checkAgainstFlatExact(format, 0.1, random().nextBoolean(), Set.of());
    }
  }

  public void testFilteredRerankEqualsFilteredFlatExactTopK() throws IOException {
    VectorFormat format = VectorFormat.values()[random().nextInt(VectorFormat.values().length)];
    Set<String> classes = new HashSet<>();
    classes.add(RandomImageCorpus.CLASSES[random().nextInt(RandomImageCorpus.CLASSES.length)]);
    if (random().nextBoolean()) {
      classes.add(RandomImageCorpus.CLASSES[random().nextInt(RandomImageCorpus.CLASSES.length)]);
    }
    checkAgainstFlatExact(format, 0.1, random().nextBoolean(), classes);
  }

  public void testFilterIsNeverViolatedWithFewCandidates() throws IOException {
    int n = atLeast(300);
    List<ImageDocument> docs = RandomImageCorpus.documents(random(), n, DIM);
    try (Directory dir = newDirectory()) {
      RandomImageCorpus.write(
          random(), dir, docs, MODEL, randomFormat(), 0.1, random().nextBoolean());
      try (ExactScorer scorer = randomScorer();
          MultimodalSearcher searcher =
              MultimodalSearcher.builder().directory(dir, MODEL).exactScorer(scorer).build()) {
        for (int round = 0; round < 20; round++) {
          String allowed =
              RandomImageCorpus.CLASSES[random().nextInt(RandomImageCorpus.CLASSES.length)];
          int k = TestUtil.nextInt(random(), 1, 15);
          SearchRequest q =
              SearchRequest.builder()
                  .vector(RandomImageCorpus.unitVector(random(), DIM))
                  .classes(allowed)
                  .k(k)
                  .size(k)
                  .numCandidates(TestUtil.nextInt(random(), k, 2 * k))
                  .oversample(1 + random().nextInt(3))
                  .rerank(random().nextBoolean())
                  .build();
          SearchResults results = searcher.search(q);
          assertFalse(results.hits().isEmpty());
          for (Hit hit : results.hits()) {
            assertEquals(
                "hit " + hit.id() + " violates the class filter", allowed, hit.className());
          }
          long chosen =
              results.classCounts().stream()
                  .filter(c -> c.value().equals(allowed))
                  .mapToLong(FacetCount::count)
                  .sum();
          assertEquals(
              "the chosen class counts the filtered matches", results.totalMatches(), chosen);
        }
      }
    }
  }

  private void checkAgainstFlatExact(
      VectorFormat format, double deleteFraction, boolean forceMerge, Set<String> classes)
      throws IOException {
    int n = TestUtil.nextInt(random(), 150, 400);
    List<ImageDocument> docs = RandomImageCorpus.documents(random(), n, DIM);
    try (Directory dir = newDirectory()) {
      RandomImageCorpus.write(random(), dir, docs, MODEL, format, deleteFraction, forceMerge);
      try (DirectoryReader reader = DirectoryReader.open(dir);
          ExactScorer scorer = randomScorer();
          MultimodalSearcher searcher =
              MultimodalSearcher.builder().directory(dir, MODEL).exactScorer(scorer).build()) {
        int[] allowedDocs = docsWithClass(reader, classes);
        try (FlatExactIndex flat =
            FlatExactIndex.java(VectorBlock.read(reader, ImageSchema.IMAGE_VECTOR, allowedDocs))) {
          for (int round = 0; round < 10; round++) {
            int k = TestUtil.nextInt(random(), 1, 20);
            float[] query = RandomImageCorpus.unitVector(random(), DIM);
            SearchRequest.Builder q =
                SearchRequest.builder()
                    .vector(query)
                    .k(k)
                    .size(k)
                    .numCandidates(Math.max(k, reader.maxDoc()))
                    .facets(false);
            if (!classes.isEmpty()) {
              q.classes(classes);
            }
            SearchResults results = searcher.search(q.build());
            ExactHits expected = flat.search(new float[][] {query}, k);
            int[] actual = results.hits().stream().mapToInt(Hit::docId).toArray();
            assertArrayEquals(
                format + " k=" + k + " classes=" + classes + ": " + results.hits(),
                expected.docIds(0),
                actual);
            for (Hit hit : results.hits()) {
              assertTrue(classes.isEmpty() || classes.contains(hit.className()));
              assertEquals(hit.score(), hit.explanation().exactVectorScore(), 0f);
            }
          }
        }
      }
    }
  }

  private static int[] docsWithClass(DirectoryReader reader, Set<String> classes)
      throws IOException {
    VectorBlock all = VectorBlock.readAll(reader, ImageSchema.IMAGE_VECTOR);
    StoredFields stored = reader.storedFields();
    List<Integer> allowed = new ArrayList<>();
    for (int row = 0; row < all.size(); row++) {
      int doc = all.docId(row);
      String cls = stored.document(doc, Set.of(ImageSchema.CLASS)).get(ImageSchema.CLASS);
      if (classes.isEmpty() || classes.contains(cls)) {
        allowed.add(doc);
      }
    }
    int[] result = allowed.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(result);
    return result;
  }

  private static VectorFormat randomFormat() {
    return VectorFormat.values()[random().nextInt(VectorFormat.values().length)];
  }

  /** Every exact path on the classpath must give the same answers; pick one per test. */
  private static ExactScorer randomScorer() {
    return ExactScorers.create(RandomPicks.randomFrom(random(), ExactScorers.available()));
  }
}
