package io.mmsearch.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuerySetTest {

  @TempDir Path dir;

  private Path write(String... lines) throws IOException {
    Path file = dir.resolve("queries.jsonl");
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void readsTextAndImageQueriesWithImagePathsRelativeToTheFile() throws IOException {
    Files.createDirectories(dir.resolve("img"));
    Files.write(dir.resolve("img/q.png"), new byte[] {1});
    QuerySet set =
        QuerySet.read(
            write(
                "{\"id\":\"t1\",\"text\":\"red car\",\"relevant\":[\"d1\"]}",
                "",
                "{\"id\":\"i1\",\"image\":\"img/q.png\",\"relevant\":[\"d2\",\"d3\"]}"));
    assertEquals(2, set.queries().size());
    assertEquals(EvalTask.TEXT_TO_IMAGE, set.queries().get(0).task());
    EvalQuery image = set.queries().get(1);
    assertEquals(EvalTask.IMAGE_TO_IMAGE, image.task());
    assertEquals(dir.resolve("img/q.png").toAbsolutePath().normalize(), image.image());
    assertEquals(Set.of("d1", "d2", "d3"), set.relevantIds());
    assertTrue(set.problems().isEmpty());
  }

  @Test
  void keywordsReplaceTheTextForBm25AndMayBeACommaSeparatedString() throws IOException {
    QuerySet set =
        QuerySet.read(
            write(
                "{\"id\":\"k\",\"text\":\"car\",\"keywords\":\"red, fast\",\"relevant\":[\"d\"]}"));
    assertEquals(List.of("red", "fast"), set.queries().get(0).keywords());
    assertEquals("red fast", set.queries().get(0).words().orElseThrow());
  }

  @Test
  void badLinesAreSkippedWithTheirLineAndReasonWhileTheOthersAreRead() throws IOException {
    QuerySet set =
        QuerySet.read(
            write(
                "{\"id\":\"ok\",\"text\":\"a\",\"relevant\":[\"d\"]}",
                "not json",
                "{\"text\":\"no id\",\"relevant\":[\"d\"]}",
                "{\"id\":\"both\",\"text\":\"a\",\"image\":\"x.png\",\"relevant\":[\"d\"]}",
                "{\"id\":\"norel\",\"text\":\"a\"}",
                "{\"id\":\"missing\",\"image\":\"nope.png\",\"relevant\":[\"d\"]}",
                "{\"id\":\"ok\",\"text\":\"again\",\"relevant\":[\"d\"]}"));
    assertEquals(1, set.queries().size());
    assertEquals(6, set.problems().size());
    assertTrue(set.problems().get(0).contains(":2: not valid JSON"), set.problems().get(0));
    assertTrue(set.problems().get(3).contains("norel"), set.problems().get(3));
    assertTrue(set.problems().get(4).contains("nope.png"), set.problems().get(4));
    assertTrue(set.problems().get(5).contains("more than once"), set.problems().get(5));
  }

  @Test
  void anEmptyQuerySetIsAnError() throws IOException {
    EvalInputException e = assertThrows(EvalInputException.class, () -> QuerySet.read(write()));
    assertTrue(e.getMessage().contains("holds no valid query"), e.getMessage());
  }

  @Test
  void aQuerySetOfOnlyBadLinesIsAnErrorNamingTheFirstProblem() throws IOException {
    EvalInputException e =
        assertThrows(
            EvalInputException.class, () -> QuerySet.read(write("{\"id\":\"x\",\"text\":\"a\"}")));
    assertTrue(e.getMessage().contains("relevant"), e.getMessage());
  }
}
