package io.mmsearch.encoders.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader of every image path refuses what is not a regular file before opening it, never reads
 * past its budget, and names the file and the reason.
 */
class ImageFileReaderTest {
  private static final Duration NEVER_BLOCKS = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final ImageFileReader reader = new ImageFileReader(1 << 20);

  private RefusedFileException refused(Path file) {
    return assertTimeoutPreemptively(
        NEVER_BLOCKS, () -> assertThrows(RefusedFileException.class, () -> reader.read(file)));
  }

  @Test
  void regularFileIsReadWhole() throws IOException {
    byte[] bytes = new byte[300_000];
    new Random(1).nextBytes(bytes);
    Path file = Files.write(dir.resolve("a.png"), bytes);

    assertArrayEquals(bytes, reader.read(file));
  }

  @Test
  void fileOfExactlyTheBudgetIsReadAndOneByteMoreIsRefused() throws IOException {
    Path atLimit = Files.write(dir.resolve("at.png"), new byte[1 << 20]);
    Path over = Files.write(dir.resolve("over.png"), new byte[(1 << 20) + 1]);

    assertEquals(1 << 20, reader.read(atLimit).length);
    RefusedFileException e = refused(over);
    assertEquals("file is 1048577 bytes, over the limit of 1048576 bytes", e.reason());
    assertEquals(over + ": " + e.reason(), e.getMessage());
  }

  @Test
  void emptyFileReadsEmpty() throws IOException {
    assertEquals(0, reader.read(Files.write(dir.resolve("empty.png"), new byte[0])).length);
  }

  @Test
  void namedPipeIsRefusedWithoutWaitingForAWriter() throws IOException {
    Path pipe = SpecialFiles.namedPipe(dir.resolve("pipe.png"));

    assertEquals("not a regular file: it is a named pipe (FIFO)", refused(pipe).reason());
  }

  @Test
  void characterDevicesAreRefusedUnread() {
    assertEquals(
        "not a regular file: it is a character device", refused(SpecialFiles.ZERO_DEVICE).reason());
    assertEquals(
        "not a regular file: it is a character device", refused(SpecialFiles.NULL_DEVICE).reason());
  }

  @Test
  void socketIsRefused() throws IOException {
    Path socket = SpecialFiles.socket(dir.resolve("s.png"));

    assertEquals("not a regular file: it is a socket", refused(socket).reason());
  }

  @Test
  void directoryIsRefused() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("folder.png"));

    assertEquals("not a regular file: it is a directory", refused(folder).reason());
  }

  @Test
  void linkToADeviceIsRefusedAsTheDeviceNamingTheLink() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("innocent.png"), SpecialFiles.ZERO_DEVICE);

    RefusedFileException e = refused(link);

    assertEquals("not a regular file: it is a character device", e.reason());
    assertEquals(link.toString(), e.file());
  }

  @Test
  void linkToARegularFileIsFollowed() throws IOException {
    Path target = Files.write(dir.resolve("target.png"), new byte[] {1, 2, 3});
    Path link = Files.createSymbolicLink(dir.resolve("link.png"), target);

    assertArrayEquals(new byte[] {1, 2, 3}, reader.read(link));
  }

  @Test
  void sparseFileLargerThanTheHeapIsRefusedByItsSizeBeforeAnyRead() throws IOException {
    Path huge = SpecialFiles.largerThanTheHeap(dir.resolve("huge.png"));
    long size = Files.size(huge);

    RefusedFileException e = refused(huge);

    assertEquals("file is " + size + " bytes, over the limit of 1048576 bytes", e.reason());
  }

  @Test
  void fileWhoseSizeUnderstatesItsContentIsCutAtTheBudget() throws IOException {
    // A /proc file says it has 0 bytes and then reads several kilobytes: the same as a file that
    // grows after its size was taken, deterministically.
    Path maps = Path.of("/proc/self/maps");
    assumeTrue(Files.isRegularFile(maps) && Files.size(maps) == 0, "needs Linux's /proc");

    RefusedFileException e =
        assertThrows(RefusedFileException.class, () -> new ImageFileReader(100).read(maps));

    assertEquals(
        "grew past the limit of 100 bytes while being read (it had 0 when opened)", e.reason());
  }

  @Test
  void fileThatKeepsGrowingWhileReadIsRefusedAtTheBudget() throws Exception {
    try (SpecialFiles.Growing growing =
        SpecialFiles.growing(dir.resolve("growing.png"), 256 << 10)) {
      RefusedFileException e = refused(growing.file());

      assertTrue(
          e.reason().contains("over the limit of 1048576 bytes")
              || e.reason().startsWith("grew past the limit of 1048576 bytes"),
          e.reason());
    }
  }

  @Test
  void missingFileIsNoSuchFile() {
    assertThrows(NoSuchFileException.class, () -> reader.read(dir.resolve("gone.png")));
    assertThrows(
        NoSuchFileException.class,
        () ->
            reader.read(
                Files.createSymbolicLink(dir.resolve("dangling.png"), dir.resolve("nothing"))));
  }

  @Test
  void budgetMustFitAJavaArray() {
    assertThrows(IllegalArgumentException.class, () -> new ImageFileReader(-1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ImageFileReader(ImageFileReader.LARGEST_MAX_BYTES + 1));
  }
}
