package io.mmsearch.lucene;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.MultimodalCodec;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.index.RandomIndexWriter;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

/**
 * Random documents with unit vectors, classes and captions, written through Lucene's {@link
 * RandomIndexWriter} with the per-field codec set explicitly (LuceneTestCase would otherwise pick a
 * random codec).
 */
public final class RandomImageCorpus {
  public static final String[] CLASSES = {"Animals", "Food & Drink", "Travel & Places", "Objects"};
  public static final String[] WORDS = {
    "red", "blue", "car", "cat", "dog", "apple", "house", "tree", "fast", "small", "green", "boat"
  };

  private RandomImageCorpus() {}

  /** A uniformly random unit vector. */
  public static float[] unitVector(Random random, int dim) {
    float[] v = new float[dim];
    double norm = 0;
    while (norm < 1e-6) {
      norm = 0;
      for (int i = 0; i < dim; i++) {
        v[i] = (float) random.nextGaussian();
        norm += v[i] * v[i];
      }
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < dim; i++) {
      v[i] /= (float) norm;
    }
    return v;
  }

  /** {@code n} documents {@code d0..d(n-1)} with random class, caption, keywords and vector. */
  public static List<ImageDocument> documents(Random random, int n, int dim) {
    List<ImageDocument> docs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder caption = new StringBuilder();
      int words = 2 + random.nextInt(4);
      for (int w = 0; w < words; w++) {
        caption.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
      }
      docs.add(
          ImageDocument.builder("d" + i)
              .uri("file:///images/" + i + ".png")
              .caption(caption.toString())
              .keywords(List.of(WORDS[random.nextInt(WORDS.length)]))
              .className(CLASSES[random.nextInt(CLASSES.length)])
              .imageVector(unitVector(random, dim))
              .size(64, 64)
              .mime("image/png")
              .build());
    }
    return docs;
  }

  /**
   * Writes the documents with a {@link RandomIndexWriter} into many small segments, optionally
   * deletes some and force-merges, and commits with the model identity.
   *
   * @return ids of the deleted documents
   */
  public static List<String> write(
      Random random,
      Directory dir,
      List<ImageDocument> docs,
      ModelIdentity model,
      VectorFormat format,
      double deleteFraction,
      boolean forceMerge)
      throws IOException {
    IndexWriterConfig iwc = LuceneTestCase.newIndexWriterConfig(random, ImageSchema.newAnalyzer());
    iwc.setCodec(
        new MultimodalCodec(
            Map.of(
                ImageSchema.IMAGE_VECTOR,
                new VectorFieldConfig(
                    format, TestUtil.nextInt(random, 4, 32), TestUtil.nextInt(random, 20, 120)))));
    iwc.setMaxBufferedDocs(TestUtil.nextInt(random, 10, 60));
    List<String> deleted = new ArrayList<>();
    try (RandomIndexWriter w = new RandomIndexWriter(random, dir, iwc)) {
      w.w.setLiveCommitData(model.toEntries().entrySet());
      for (ImageDocument doc : docs) {
        w.addDocument(ImageSchema.toLuceneDocument(doc));
      }
      for (ImageDocument doc : docs) {
        if (random.nextDouble() < deleteFraction) {
          w.deleteDocuments(new Term(ImageSchema.ID, doc.id()));
          deleted.add(doc.id());
        }
      }
      if (forceMerge) {
        w.forceMerge(1);
      }
      w.commit();
    }
    return deleted;
  }
}
