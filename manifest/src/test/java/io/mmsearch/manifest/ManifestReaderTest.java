package io.mmsearch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

  @TempDir Path dir;

  private ManifestReader.Contents readJsonl(String... lines) throws IOException {
    Path file = dir.resolve("manifest.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return ManifestReader.of(file).readAll();
  }

  private ManifestReader.Contents readCsv(String text) throws IOException {
    Path file = dir.resolve("manifest.csv");
    Files.writeString(file, text);
    return ManifestReader.of(file).readAll();
  }

  private static void assertOneProblem(
      ManifestReader.Contents contents, long line, String reasonPart) {
    assertEquals(1, contents.problems().size(), () -> "problems: " + contents.problems());
    ManifestProblem p = contents.problems().get(0);
    assertTrue(p.item().endsWith(":" + line), p.item());
    assertEquals(ManifestProblem.STAGE_MANIFEST, p.stage());
    assertTrue(p.reason().contains(reasonPart), p.reason());
  }

  @Test
  void readsEveryColumnOfAJsonlLine() throws IOException {
    var c =
        readJsonl(
            "{\"id\":\"a\",\"image\":\"img/a.png\",\"caption\":\"a red apple\","
                + "\"keywords\":[\"fruit\",\"red\"],\"class\":\"food\",\"subclass\":\"fruit\","
                + "\"codepoint\":\"1F34E\",\"rank\":3}");
    assertEquals(List.of(), c.problems());
    ManifestEntry e = c.entries().get(0);
    assertEquals("a", e.id());
    assertEquals(dir.toAbsolutePath().resolve("img/a.png"), e.image());
    assertEquals(List.of("a red apple"), e.captions());
    assertEquals(List.of("fruit", "red"), e.keywords());
    assertEquals("food", e.className());
    assertEquals("fruit", e.subclass());
    assertEquals(Map.of("codepoint", "1F34E", "rank", "3"), e.metadata());
    assertEquals(1, e.line());
  }

  @Test
  void captionMayBeAListAndKeywordsACommaSeparatedString() throws IOException {
    var c =
        readJsonl(
            "{\"id\":\"a\",\"image\":\"a.png\",\"caption\":[\"one\",\" two \",\"\"],"
                + "\"keywords\":\"x, y,,z\"}");
    ManifestEntry e = c.entries().get(0);
    assertEquals(List.of("one", "two"), e.captions());
    assertEquals(List.of("x", "y", "z"), e.keywords());
  }

  @Test
  void emptyOrMissingCaptionIsAllowed() throws IOException {
    var c =
        readJsonl(
            "{\"id\":\"a\",\"image\":\"a.png\",\"caption\":\"\"}",
            "{\"id\":\"b\",\"image\":\"b.png\"}");
    assertEquals(List.of(), c.problems());
    assertEquals(List.of(), c.entries().get(0).captions());
    assertEquals("", c.entries().get(1).caption());
    assertNull(c.entries().get(1).className());
  }

  @Test
  void invalidJsonLineIsRejectedAndReadingGoesOn() throws IOException {
    var c =
        readJsonl(
            "{\"id\":\"a\",\"image\":\"a.png\"}",
            "{\"id\":\"b\",",
            "{\"id\":\"c\",\"image\":\"c.png\"}");
    assertOneProblem(c, 2, "invalid JSON");
    assertEquals(List.of("a", "c"), c.entries().stream().map(ManifestEntry::id).toList());
  }

  @Test
  void jsonThatIsNotAnObjectIsRejected() throws IOException {
    assertOneProblem(readJsonl("[1,2]"), 1, "expected a JSON object");
  }

  @Test
  void trailingGarbageAfterTheObjectIsRejected() throws IOException {
    assertOneProblem(readJsonl("{\"id\":\"a\",\"image\":\"a.png\"} x"), 1, "invalid JSON");
  }

  @Test
  void lineThatIsNotUtf8IsRejectedAndReadingGoesOn() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"id\":\"a\",\"image\":\"a.png\"}\n".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(
        "{\"id\":\"b\",\"image\":\"b.png\",\"caption\":\"caf".getBytes(StandardCharsets.UTF_8));
    out.write(0xE9); // Latin-1 e-acute: not valid UTF-8 on its own
    out.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(
        "{\"id\":\"c\",\"image\":\"c.png\",\"caption\":\"caf\u00e9\"}\n"
            .getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("m.jsonl");
    Files.write(file, out.toByteArray());
    var c = ManifestReader.of(file).readAll();
    assertOneProblem(c, 2, "not valid UTF-8");
    assertEquals(List.of("a", "c"), c.entries().stream().map(ManifestEntry::id).toList());
    assertEquals("caf\u00e9", c.entries().get(1).caption());
  }

  @Test
  void missingIdIsRejected() throws IOException {
    assertOneProblem(readJsonl("{\"image\":\"a.png\"}"), 1, "missing id");
  }

  @Test
  void missingImageIsRejected() throws IOException {
    assertOneProblem(readJsonl("{\"id\":\"a\",\"caption\":\"x\"}"), 1, "missing image");
  }

  @Test
  void numericIdIsReadAsText() throws IOException {
    assertEquals("42", readJsonl("{\"id\":42,\"image\":\"a.png\"}").entries().get(0).id());
  }

  @Test
  void captionOfTheWrongTypeIsRejected() throws IOException {
    assertOneProblem(readJsonl("{\"id\":\"a\",\"image\":\"a.png\",\"caption\":{}}"), 1, "caption");
  }

  @Test
  void secondOccurrenceOfAnIdIsRejectedAndTheFirstKept() throws IOException {
    var c =
        readJsonl(
            "{\"id\":\"a\",\"image\":\"first.png\"}", "{\"id\":\"a\",\"image\":\"second.png\"}");
    assertOneProblem(c, 2, "duplicate id a");
    assertEquals(dir.toAbsolutePath().resolve("first.png"), c.entries().get(0).image());
  }

  @Test
  void relativePathEscapingTheManifestFolderIsRejected() throws IOException {
    assertOneProblem(
        readJsonl("{\"id\":\"a\",\"image\":\"../secret.png\"}"),
        1,
        "outside the manifest's folder");
  }

  @Test
  void relativePathWithDotDotThatStaysInsideIsAccepted() throws IOException {
    var c = readJsonl("{\"id\":\"a\",\"image\":\"img/../b.png\"}");
    assertEquals(dir.toAbsolutePath().resolve("b.png"), c.entries().get(0).image());
  }

  @Test
  void absolutePathAndFileUriOutsideTheFolderAreAcceptedUnlessConfined() throws IOException {
    Path outside = dir.getParent().resolve("elsewhere.png").toAbsolutePath();
    Path file = dir.resolve("m.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"a\",\"image\":\""
            + outside
            + "\"}\n"
            + "{\"id\":\"b\",\"image\":\""
            + outside.toUri()
            + "\"}\n");
    var open = ManifestReader.of(file).readAll();
    assertEquals(List.of(), open.problems());
    assertEquals(outside, open.entries().get(0).image());
    assertEquals(outside, open.entries().get(1).image());

    var confined = ManifestReader.builder(file).confine(true).build().readAll();
    assertEquals(0, confined.entries().size());
    assertEquals(2, confined.problems().size());
    assertTrue(confined.problems().get(1).reason().contains("--confine"));
  }

  @Test
  void fileUriInsideTheFolderIsAcceptedWhenConfined() throws IOException {
    Path inside = dir.resolve("a.png").toAbsolutePath();
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"id\":\"a\",\"image\":\"" + inside.toUri() + "\"}\n");
    var c = ManifestReader.builder(file).confine(true).build().readAll();
    assertEquals(inside, c.entries().get(0).image());
  }

  @Test
  void remoteUriIsRejected() throws IOException {
    assertOneProblem(
        readJsonl("{\"id\":\"a\",\"image\":\"https://example.org/a.png\"}"),
        1,
        "unsupported image URI");
  }

  @Test
  void blankLinesAndByteOrderMarkAndCrlfAreTolerated() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(
        file,
        "\uFEFF{\"id\":\"a\",\"image\":\"a.png\"}\r\n\r\n{\"id\":\"b\",\"image\":\"b.png\"}\r\n");
    var c = ManifestReader.of(file).readAll();
    assertEquals(List.of(), c.problems());
    assertEquals(3, c.entries().get(1).line());
  }

  @Test
  void csvUsesTheSameColumns() throws IOException {
    var c =
        readCsv(
            "id,image,caption,keywords,class,subclass,source\n"
                + "a,a.png,\"a red, round apple\",\"fruit, red\",food,fruit,twemoji\n"
                + "b,b.png,,,,,\n");
    assertEquals(List.of(), c.problems());
    ManifestEntry a = c.entries().get(0);
    assertEquals(List.of("a red, round apple"), a.captions());
    assertEquals(List.of("fruit", "red"), a.keywords());
    assertEquals("food", a.className());
    assertEquals(Map.of("source", "twemoji"), a.metadata());
    assertEquals(List.of(), c.entries().get(1).captions());
  }

  @Test
  void csvCaptionCellMayHoldAJsonList() throws IOException {
    var c = readCsv("id,image,caption\na,a.png,\"[\"\"one\"\",\"\"two\"\"]\"\n");
    assertEquals(List.of("one", "two"), c.entries().get(0).captions());
  }

  @Test
  void csvQuotedCellMaySpanLinesAndLineNumbersStayRight() throws IOException {
    var c = readCsv("id,image,caption\na,a.png,\"line one\nline two\"\n,b.png,x\n");
    assertEquals("line one\nline two", c.entries().get(0).caption());
    assertOneProblem(c, 4, "missing id");
  }

  @Test
  void csvRecordWithTooManyCellsIsRejected() throws IOException {
    assertOneProblem(readCsv("id,image\na,a.png,extra\n"), 2, "3 cells");
  }

  @Test
  void csvWithoutTheRequiredHeaderIsRejectedOnce() throws IOException {
    assertOneProblem(readCsv("name,file\na,a.png\nb,b.png\n"), 1, "header");
  }

  @Test
  void csvLineThatIsNotUtf8IsRejected() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("id,image\na,a.png\nb,b".getBytes(StandardCharsets.UTF_8));
    out.write(0xFF);
    out.writeBytes(".png\nc,c.png\n".getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("m.csv");
    Files.write(file, out.toByteArray());
    var c = ManifestReader.of(file).readAll();
    assertOneProblem(c, 3, "not valid UTF-8");
    assertEquals(2, c.entries().size());
  }

  @Test
  void csvQuoteInsideAnUnquotedCellIsAnOrdinaryCharacter() throws IOException {
    var c = readCsv("id,image,caption\na,a.png,a 5\" screen\nb,b.png,next\n");
    assertEquals(List.of(), c.problems());
    assertEquals("a 5\" screen", c.entries().get(0).caption());
    assertEquals("b", c.entries().get(1).id());
  }

  @Test
  void csvQuoteThatIsNeverClosedCostsOneRowAndTheRowsAfterItStillCount() throws IOException {
    var c = readCsv("id,image,caption\na,a.png,\"never closed\nb,b.png,two\nc,c.png,three\n");
    assertOneProblem(c, 2, "quoted cell opened on line 2");
    assertEquals(List.of("b", "c"), c.entries().stream().map(ManifestEntry::id).toList());
    assertEquals(3, c.entries().get(0).line());
  }

  @Test
  void csvOpenQuoteRunningIntoALaterQuotedCellDoesNotSwallowTheRowsBetween() throws IOException {
    var c =
        readCsv(
            "id,image,caption\n"
                + "a,a.png,\"open\n"
                + "b,b.png,plain\n"
                + "c,c.png,\"quoted, with comma\"\n"
                + "d,d.png,plain\n");
    assertOneProblem(c, 2, "malformed CSV");
    assertEquals(List.of("b", "c", "d"), c.entries().stream().map(ManifestEntry::id).toList());
    assertEquals("quoted, with comma", c.entries().get(1).caption());
  }

  @Test
  void csvTextAfterAClosingQuoteIsReportedAndReadingResumesOnTheNextLine() throws IOException {
    var c = readCsv("id,image,caption\na,a.png,\"quoted\"tail\nb,b.png,ok\n");
    assertOneProblem(c, 2, "text after the closing quote of cell 3 (line 2, column 17)");
    assertEquals("b", c.entries().get(0).id());
  }

  @Test
  void csvMultiLineRecordReportsTheLinesItSpans() throws IOException {
    var c = readCsv("id,image,caption\na,a.png,\"one\n\ntwo\"\nb,b.png,x\n");
    assertEquals(List.of(), c.problems());
    assertEquals(2, c.entries().get(0).line());
    assertEquals(4, c.entries().get(0).lastLine());
    assertEquals(5, c.entries().get(1).line());
  }

  @Test
  void csvWithoutTheRequiredHeaderSaysHowMuchWasNotRead() throws IOException {
    var c = readCsv("name,file\na,a.png\nb,b.png\n");
    assertOneProblem(c, 1, "the file is not read further (2 more lines)");
  }

  @Test
  void csvHeaderNamingAColumnTwiceIsRefused() throws IOException {
    assertOneProblem(readCsv("id,image,id\na,a.png,b\n"), 1, "names the column 'id' twice");
  }

  @Test
  void longIdIsShortenedInMessages() throws IOException {
    String id = "x".repeat(5000);
    var c = readJsonl("{\"id\":\"" + id + "\"}");
    assertOneProblem(c, 1, "missing image");
    assertTrue(c.problems().get(0).reason().length() < 300, c.problems().get(0).reason());
  }

  @Test
  void symbolicLinkOutOfTheFolderIsRejectedWhenConfined() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.png"), "not really");
    Path folder = Files.createDirectories(dir.resolve("images"));
    Files.createSymbolicLink(folder.resolve("link.png"), outside.resolve("secret.png"));
    Files.createSymbolicLink(folder.resolve("sub"), outside);
    Files.writeString(folder.resolve("inside.png"), "fine");
    Path file = folder.resolve("m.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"a\",\"image\":\"link.png\"}\n"
            + "{\"id\":\"b\",\"image\":\"sub/secret.png\"}\n"
            + "{\"id\":\"c\",\"image\":\"sub/not-there-yet.png\"}\n"
            + "{\"id\":\"d\",\"image\":\"inside.png\"}\n");

    var confined = ManifestReader.builder(file).confine(true).build().readAll();
    var open = ManifestReader.of(file).readAll();

    assertEquals(List.of("d"), confined.entries().stream().map(ManifestEntry::id).toList());
    assertEquals(3, confined.problems().size());
    for (ManifestProblem p : confined.problems()) {
      assertTrue(p.reason().contains("symbolic link"), p.reason());
    }
    assertEquals(4, open.entries().size(), "without --confine the user's links are followed");
  }

  @Test
  void missingManifestFileIsAnIoException() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IOException.class, () -> ManifestReader.of(dir.resolve("absent.jsonl")).readAll());
  }
}
