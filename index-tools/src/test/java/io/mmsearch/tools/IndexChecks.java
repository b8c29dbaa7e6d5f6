package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.bundle.ModelIdentity;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * What a crash or an I/O failure must leave behind, checked the same way by every fault test: the
 * index opens at its last commit, {@link CheckIndex} (with its slow checks) finds it clean, the
 * commit carries the model identity, and no id occurs twice.
 */
final class IndexChecks {
  private IndexChecks() {}

  /** Writes {@code count} small distinct PNGs named {@code img-<i>.png} into {@code folder}. */
  static Set<String> shapes(Path folder, int count) throws IOException {
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      Color c = new Color((i * 37) % 256, (i * 91) % 256, (i * 53) % 256);
      String name = "img-" + i + ".png";
      TestImages.write(folder.resolve(name), TestImages.shape(c, i % 2 == 0, "png"));
      ids.add(name);
    }
    return ids;
  }

  /**
   * The live ids of the index's last commit, after checking that it is intact; an empty set if
   * nothing was ever committed.
   *
   * @param corpus every id the index may hold
   */
  static Set<String> verifiedIds(Path index, Set<String> corpus) throws IOException {
    try (Directory dir = FSDirectory.open(index)) {
      return verifiedIds(dir, corpus);
    }
  }

  /** {@link #verifiedIds(Path, Set)} of an index in any directory; leaves it open. */
  static Set<String> verifiedIds(Directory dir, Set<String> corpus) throws IOException {
    {
      if (!DirectoryReader.indexExists(dir)) {
        return Set.of();
      }
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      try (CheckIndex check = new CheckIndex(dir)) {
        check.setLevel(CheckIndex.Level.MIN_LEVEL_FOR_SLOW_CHECKS);
        check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
        CheckIndex.Status status = check.checkIndex();
        assertTrue(status.clean, () -> "CheckIndex:\n" + log.toString(StandardCharsets.UTF_8));
      }
      SegmentInfos last = SegmentInfos.readLatestCommit(dir);
      assertTrue(
          ModelIdentity.fromEntries(last.getUserData(), "commit user data").isPresent(),
          () -> "the commit carries the model identity: " + last.getUserData());
      Set<String> ids = new HashSet<>();
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        for (var leaf : reader.leaves()) {
          Bits live = leaf.reader().getLiveDocs();
          StoredFields stored = leaf.reader().storedFields();
          for (int i = 0; i < leaf.reader().maxDoc(); i++) {
            if (live == null || live.get(i)) {
              String id = stored.document(i).get("id");
              assertTrue(ids.add(id), () -> "id " + id + " occurs twice");
              assertTrue(corpus.contains(id), () -> "unknown id " + id);
            }
          }
        }
      }
      return ids;
    }
  }
}
