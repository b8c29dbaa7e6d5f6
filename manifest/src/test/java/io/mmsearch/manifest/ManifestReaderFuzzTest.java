package io.mmsearch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of valid JSONL and CSV manifests (flipped and inserted bytes, quotes, commas,
 * line breaks, NULs, invalid UTF-8, huge fields, cut files) never make the reader throw, and every
 * line is accounted for: each non-blank line is the CSV header or inside the line span of exactly
 * one entry or problem.
 *
 * <p>{@code -Dmmsearch.fuzz.iterations=N} (default 400 per format) and {@code
 * -Dmmsearch.fuzz.seed=S} (default random, printed) reproduce or extend a run.
 */
class ManifestReaderFuzzTest {
  private static final int ITERATIONS = Integer.getInteger("mmsearch.fuzz.iterations", 400);
  private static final long SEED = Long.getLong("mmsearch.fuzz.seed", new Random().nextLong());
  private static final String[] WORDS = {"red", "apple", "a, b", "line\nbreak", "5\" screen", "é"};

  @TempDir Path dir;

  @Test
  void mutatedJsonlNeverThrowsAndEveryLineIsAccountedFor() throws IOException {
    fuzz(ManifestReader.Format.JSONL, SEED);
  }

  @Test
  void mutatedCsvNeverThrowsAndEveryLineIsAccountedFor() throws IOException {
    fuzz(ManifestReader.Format.CSV, SEED + 1);
  }

  private void fuzz(ManifestReader.Format format, long seed) throws IOException {
    System.out.printf(
        "fuzzing %s manifests: %d iterations, -Dmmsearch.fuzz.seed=%d%n", format, ITERATIONS, seed);
    Random random = new Random(seed);
    Path file = dir.resolve(format == ManifestReader.Format.CSV ? "m.csv" : "m.jsonl");
    long entries = 0;
    long problems = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] valid = format == ManifestReader.Format.CSV ? csv(random) : jsonl(random);
      int headerEnd = format == ManifestReader.Format.CSV ? indexOf(valid, (byte) '\n') + 1 : 0;
      byte[] mutated = mutate(valid, headerEnd, random);
      Files.write(file, mutated);
      ManifestReader.Contents c;
      try {
        c = ManifestReader.of(file).readAll();
      } catch (RuntimeException | IOException e) {
        throw new AssertionError(
            "iteration " + i + " threw; input:\n" + new String(mutated, StandardCharsets.UTF_8), e);
      }
      assertEveryLineAccountedFor(mutated, c, format, i);
      entries += c.entries().size();
      problems += c.problems().size();
    }
    System.out.printf(
        "%s: %d iterations, %d entries, %d problems, no exception%n",
        format, ITERATIONS, entries, problems);
    assertTrue(entries > 0 && problems > 0, "the mutations produce both outcomes");
  }

  private static void assertEveryLineAccountedFor(
      byte[] bytes, ManifestReader.Contents c, ManifestReader.Format format, int iteration) {
    List<byte[]> lines = physicalLines(bytes);
    Map<Long, String> claimedBy = new HashMap<>();
    if (format == ManifestReader.Format.CSV) {
      claimedBy.put(1L, "header"); // mutations leave the header line alone
    }
    for (ManifestEntry e : c.entries()) {
      for (long l = e.line(); l <= e.lastLine(); l++) {
        claim(claimedBy, l, "entry " + e.id(), iteration);
      }
    }
    for (ManifestProblem p : c.problems()) {
      String[] range = p.item().substring(p.item().lastIndexOf(':') + 1).split("-");
      long first = Long.parseLong(range[0]);
      long last = range.length > 1 ? Long.parseLong(range[1]) : first;
      for (long l = first; l <= last; l++) {
        claim(claimedBy, l, "problem " + p.reason(), iteration);
      }
    }
    for (int n = 1; n <= lines.size(); n++) {
      if (!isBlank(lines.get(n - 1)) && !claimedBy.containsKey((long) n)) {
        fail(
            "iteration "
                + iteration
                + ": line "
                + n
                + " is neither read nor reported: "
                + new String(lines.get(n - 1), StandardCharsets.UTF_8)
                + "\nentries: "
                + c.entries()
                + "\nproblems: "
                + c.problems());
      }
    }
    assertTrue(claimedBy.keySet().stream().allMatch(l -> l >= 1 && l <= lines.size()));
  }

  private static void claim(Map<Long, String> claimedBy, long line, String by, int iteration) {
    String before = claimedBy.putIfAbsent(line, by);
    if (before != null) {
      fail("iteration " + iteration + ": line " + line + " claimed by " + before + " and " + by);
    }
  }

  /** Physical lines as the reader splits them: at \n, \r before it dropped, BOM skipped. */
  private static List<byte[]> physicalLines(byte[] bytes) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i == bytes.length && start == i) {
          break;
        }
        int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
        lines.add(Arrays.copyOfRange(bytes, start, end));
        start = i + 1;
      }
    }
    if (!lines.isEmpty()) {
      byte[] first = lines.get(0);
      if (first.length >= 3
          && (first[0] & 0xFF) == 0xEF
          && (first[1] & 0xFF) == 0xBB
          && (first[2] & 0xFF) == 0xBF) {
        lines.set(0, Arrays.copyOfRange(first, 3, first.length));
      }
    }
    return lines;
  }

  private static boolean isBlank(byte[] line) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line))
          .toString()
          .isBlank();
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] jsonl(Random random) {
    StringBuilder out = new StringBuilder();
    int rows = 3 + random.nextInt(20);
    for (int r = 0; r < rows; r++) {
      out.append("{\"id\":\"r")
          .append(r)
          .append("\",\"image\":\"img/")
          .append(r)
          .append(".png\",\"caption\":\"")
          .append(WORDS[random.nextInt(WORDS.length)].replace("\n", "\\n").replace("\"", "\\\""))
          .append("\",\"keywords\":[\"k1\",\"k2\"],\"class\":\"c")
          .append(random.nextInt(3))
          .append("\"}\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] csv(Random random) {
    StringBuilder out = new StringBuilder("id,image,caption,class\n");
    int rows = 3 + random.nextInt(20);
    for (int r = 0; r < rows; r++) {
      String caption = WORDS[random.nextInt(WORDS.length)];
      boolean quote = caption.contains(",") || caption.contains("\n") || random.nextBoolean();
      out.append('r').append(r).append(",img/").append(r).append(".png,");
      out.append(quote ? "\"" + caption.replace("\"", "\"\"") + "\"" : caption);
      out.append(",c").append(random.nextInt(3)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Applies 1 to 5 random mutations to the bytes after {@code protectedPrefix}. */
  private static byte[] mutate(byte[] valid, int protectedPrefix, Random random) {
    byte[] b = valid;
    int mutations = 1 + random.nextInt(5);
    for (int m = 0; m < mutations; m++) {
      int span = b.length - protectedPrefix;
      int at = protectedPrefix + (span <= 0 ? 0 : random.nextInt(span + 1));
      b =
          switch (random.nextInt(9)) {
            case 0 -> { // flip a byte
              if (at < b.length) {
                b = b.clone();
                b[at] = (byte) random.nextInt(256);
              }
              yield b;
            }
            case 1 -> insert(b, at, new byte[] {'"'});
            case 2 -> insert(b, at, new byte[] {(byte) (random.nextBoolean() ? ',' : '\n')});
            case 3 -> insert(b, at, new byte[] {0});
            case 4 -> // invalid UTF-8: a lone continuation byte, a cut sequence, 0xFF, a surrogate
                insert(
                    b,
                    at,
                    switch (random.nextInt(4)) {
                      case 0 -> new byte[] {(byte) 0x80};
                      case 1 -> new byte[] {(byte) 0xC3};
                      case 2 -> new byte[] {(byte) 0xFF};
                      default -> new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
                    });
            case 5 -> { // a huge field, sometimes over the line limit
              int size = random.nextInt(10) == 0 ? ManifestReader.MAX_LINE_BYTES + 10 : 70_000;
              byte[] huge = new byte[size];
              Arrays.fill(huge, (byte) (random.nextBoolean() ? 'x' : '"'));
              yield insert(b, at, huge);
            }
            case 6 -> Arrays.copyOf(b, at); // cut the file
            case 7 -> { // delete a range
              int end = Math.min(b.length, at + random.nextInt(40));
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              out.write(b, 0, Math.min(at, b.length));
              out.write(b, end, b.length - end);
              yield out.toByteArray();
            }
            default -> insert(b, at, new byte[] {'\r', '\n', '{', '}', '\\'}, random);
          };
    }
    return b;
  }

  private static byte[] insert(byte[] b, int at, byte[] choices, Random random) {
    return insert(b, at, new byte[] {choices[random.nextInt(choices.length)]});
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    at = Math.min(at, b.length);
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  private static int indexOf(byte[] b, byte value) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void physicalLineSplitMatchesTheReader() {
    List<byte[]> lines = physicalLines("a\r\nb\n\nc".getBytes(StandardCharsets.UTF_8));
    assertEquals(4, lines.size());
    assertEquals("a", new String(lines.get(0), StandardCharsets.UTF_8));
  }
}
