package io.mmsearch.manifest;

import io.mmsearch.manifest.ManifestLines.RawLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV records from numbered lines so that a malformed record costs that record only: it is
 * reported with its first line and reading resumes at the line after it, never at the end of the
 * file.
 *
 * <p>The dialect is RFC 4180 as spreadsheets write it: cells separated by commas; a cell that
 * starts with {@code "} is quoted, may hold commas, line breaks and doubled quotes ({@code ""}),
 * and ends at a single {@code "} followed by a comma, spaces or the end of the line. A {@code "}
 * inside an unquoted cell is an ordinary character ({@code 5" screen}), as Excel, Python's csv and
 * Jackson read it.
 *
 * <p>Malformed, each reported and skipped: text after a closing quote; a quoted cell still open at
 * the end of the file; a record longer than the line limit or spanning more than {@link
 * #MAX_RECORD_LINES} lines; a line inside a quoted cell that is not valid UTF-8; and a quoted cell
 * that runs into a line which reads as a whole record of its own (as many cells as the header):
 * that is an unbalanced quote swallowing the rows after it, not a caption with line breaks. Why no
 * library: Jackson's and Commons CSV's parsers stop at the first malformed record, and what is
 * needed here is the recovery, line by line.
 *
 * <p>Not thread-safe; one instance per pass over a file.
 */
final class CsvRecords {

  /** A quoted cell spanning more lines than this is taken for an unbalanced quote. */
  static final int MAX_RECORD_LINES = 100;

  /** What {@link #next()} found. */
  sealed interface Outcome permits Record, Malformed {}

  /**
   * A well-formed record.
   *
   * @param cells the cells, unquoted, in order
   * @param firstLine the line it starts on
   * @param lastLine the line it ends on (later than {@code firstLine} only when a quoted cell spans
   *     lines)
   */
  record Record(List<String> cells, long firstLine, long lastLine) implements Outcome {}

  /** A malformed record: its first line and why; the lines after it are read again. */
  record Malformed(long line, String reason) implements Outcome {}

  private final ManifestLines lines;
  private final int maxRecordBytes;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private int recordCells;
  private String decodeError;

  CsvRecords(ManifestLines lines, int maxRecordBytes) {
    this.lines = lines;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Sets how many cells a record has (the header's count), which lets a quoted cell that swallows
   * whole records be recognised.
   */
  void expectCells(int cells) {
    this.recordCells = cells;
  }

  /** The next record or malformed record, skipping blank lines; null at the end of the file. */
  Outcome next() throws IOException {
    RawLine first;
    String text;
    do {
      first = lines.next();
      if (first == null) {
        return null;
      }
      if (first.tooLong()) {
        return new Malformed(first.number(), "line is longer than " + maxRecordBytes + " bytes");
      }
      text = decode(first);
      if (text == null) {
        return new Malformed(first.number(), "not valid UTF-8 (" + decodeError + ")");
      }
    } while (text.isBlank());

    Tokenizer record = new Tokenizer();
    boolean complete = record.feed(text, first.number());
    List<RawLine> continuation = new ArrayList<>();
    long bytes = first.bytes().length;
    while (!complete && record.error == null) {
      RawLine more = lines.next();
      if (more == null) {
        return malformed(
            first,
            continuation,
            "quoted cell opened on line "
                + first.number()
                + " is not closed by the end of the file");
      }
      continuation.add(more);
      bytes += more.bytes().length + 1;
      if (more.tooLong() || bytes > maxRecordBytes) {
        return malformed(first, continuation, "record is longer than " + maxRecordBytes + " bytes");
      }
      if (continuation.size() >= MAX_RECORD_LINES) {
        return malformed(
            first,
            continuation,
            "quoted cell opened on line "
                + first.number()
                + " spans more than "
                + MAX_RECORD_LINES
                + " lines: an unbalanced quote?");
      }
      String moreText = decode(more);
      if (moreText == null) {
        return malformed(
            first,
            continuation,
            "line " + more.number() + ", inside a quoted cell, is not valid UTF-8");
      }
      if (readsAsRecord(moreText)) {
        return malformed(
            first,
            continuation,
            "quoted cell opened on line "
                + first.number()
                + " is not closed before line "
                + more.number()
                + ", which reads as a record of its own: an unbalanced quote?");
      }
      complete = record.feed(moreText, more.number());
    }
    if (record.error != null) {
      return malformed(first, continuation, record.error);
    }
    long last =
        continuation.isEmpty()
            ? first.number()
            : continuation.get(continuation.size() - 1).number();
    return new Record(List.copyOf(record.cells), first.number(), last);
  }

  private Malformed malformed(RawLine first, List<RawLine> continuation, String reason) {
    lines.pushBack(continuation);
    return new Malformed(first.number(), "malformed CSV: " + reason);
  }

  private boolean readsAsRecord(String line) {
    if (recordCells < 2 || line.isBlank()) {
      return false;
    }
    Tokenizer alone = new Tokenizer();
    return alone.feed(line, 0) && alone.error == null && alone.cells.size() == recordCells;
  }

  /** The line as text, or null (with {@link #decodeError} set) if it is not valid UTF-8. */
  private String decode(RawLine line) {
    try {
      return utf8.reset().decode(ByteBuffer.wrap(line.bytes())).toString();
    } catch (CharacterCodingException e) {
      decodeError = e.getMessage();
      return null;
    }
  }

  /** The cells of one record, fed a physical line at a time. */
  private static final class Tokenizer {
    private enum State {
      CELL_START,
      UNQUOTED,
      QUOTED,
      QUOTE_IN_QUOTED,
      AFTER_CLOSING_QUOTE
    }

    final List<String> cells = new ArrayList<>();
    private final StringBuilder cell = new StringBuilder();
    private State state = State.CELL_START;
    String error;

    /** Consumes one line; true when the record ends with it (or {@link #error} is set). */
    boolean feed(String line, long number) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        switch (state) {
          case CELL_START -> {
            if (c == '"') {
              state = State.QUOTED;
            } else if (c == ',') {
              endCell();
            } else {
              cell.append(c);
              state = State.UNQUOTED;
            }
          }
          case UNQUOTED -> {
            if (c == ',') {
              endCell();
            } else {
              cell.append(c);
            }
          }
          case QUOTED -> {
            if (c == '"') {
              state = State.QUOTE_IN_QUOTED;
            } else {
              cell.append(c);
            }
          }
          case QUOTE_IN_QUOTED -> {
            if (c == '"') {
              cell.append('"');
              state = State.QUOTED;
            } else if (c == ',') {
              endCell();
            } else if (c == ' ' || c == '\t') {
              state = State.AFTER_CLOSING_QUOTE;
            } else {
              return fail(number, i);
            }
          }
          case AFTER_CLOSING_QUOTE -> {
            if (c == ',') {
              endCell();
            } else if (c != ' ' && c != '\t') {
              return fail(number, i);
            }
          }
        }
      }
      if (state == State.QUOTED) {
        cell.append('\n');
        return false;
      }
      endCell();
      return true;
    }

    private boolean fail(long number, int index) {
      error =
          "text after the closing quote of cell "
              + (cells.size() + 1)
              + " (line "
              + number
              + ", column "
              + (index + 1)
              + ")";
      return true;
    }

    private void endCell() {
      cells.add(cell.toString());
      cell.setLength(0);
      state = State.CELL_START;
    }
  }
}
