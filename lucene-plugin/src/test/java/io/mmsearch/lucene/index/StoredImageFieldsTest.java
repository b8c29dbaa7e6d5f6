package io.mmsearch.lucene.index;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.RandomImageCorpus;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.manifest.ImageFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

/** What the index stores gives back the fields it was built from, for every live document. */
public class StoredImageFieldsTest extends LuceneTestCase {
  private static final int DIM = 8;
  private static final ModelIdentity MODEL = new ModelIdentity("stored-fields-test", DIM);

  public void testEveryLiveDocumentGivesBackTheFieldsItWasIndexedWith() throws IOException {
    Map<String, ImageFields> indexed = new HashMap<>();
    Set<String> deleted = new HashSet<>();
    try (Directory dir = newDirectory()) {
      try (MultimodalIndexWriter writer =
          MultimodalIndexWriter.open(
              dir,
              MultimodalIndexConfig.builder(MODEL)
                  .writerTuning(iwc -> iwc.setMaxBufferedDocs(TestUtil.nextInt(random(), 2, 20)))
                  .build())) {
        int n = atLeast(60);
        for (int i = 0; i < n; i++) {
          ImageFields fields = randomFields("doc-" + i);
          indexed.put(fields.id(), fields);
          writer.upsert(
              ImageDocument.builder(fields)
                  .imageVector(RandomImageCorpus.unitVector(random(), DIM))
                  .build());
          if (random().nextInt(5) == 0) {
            writer.delete(fields.id());
            deleted.add(fields.id());
          }
        }
        writer.commit();
      }
      List<ImageFields> read = new ArrayList<>();
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        StoredImageFields.forEachLive(reader, read::add);
      }
      assertEquals(indexed.size() - deleted.size(), read.size());
      for (ImageFields fields : read) {
        assertFalse("deleted documents are not read", deleted.contains(fields.id()));
        assertEquals(indexed.get(fields.id()), fields);
      }
    }
  }

  private ImageFields randomFields(String id) {
    List<String> keywords = new ArrayList<>();
    int k = random().nextInt(4);
    for (int i = 0; i < k; i++) {
      keywords.add(RandomImageCorpus.WORDS[random().nextInt(RandomImageCorpus.WORDS.length)]);
    }
    return new ImageFields(
        id,
        random().nextBoolean() ? "file:///images/" + id + ".png" : null,
        random().nextBoolean()
            ? "a "
                + RandomImageCorpus.WORDS[random().nextInt(RandomImageCorpus.WORDS.length)]
                + ImageFields.CAPTION_SEPARATOR
                + TestUtil.randomRealisticUnicodeString(random(), 1, 20).strip()
                + "x"
            : null,
        keywords,
        random().nextBoolean()
            ? RandomImageCorpus.CLASSES[random().nextInt(RandomImageCorpus.CLASSES.length)]
            : null,
        random().nextBoolean() ? "sub " + random().nextInt(3) : null);
  }
}
