package io.mmsearch.backbones;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm tarball is used only if it hashes to the registry digests the project pins. */
class NpmTarballTest {
  @TempDir Path dir;

  private Path pristine() throws Exception {
    return NpmTarball.fetch(NpmPackage.NSFWJS_4_4_0, TestPaths.npmCache());
  }

  @Test
  void theRegistryTarballVerifies() throws Exception {
    NpmTarball.verify(pristine(), NpmPackage.NSFWJS_4_4_0);
  }

  @Test
  void aTamperedTarballIsRefusedNamingTheFileAndBothDigests() throws Exception {
    byte[] bytes = Files.readAllBytes(pristine());
    bytes[bytes.length / 2] ^= 1;
    Path tampered = Files.write(dir.resolve("nsfwjs-4.4.0.tgz"), bytes);

    TarballIntegrityException e =
        assertThrows(
            TarballIntegrityException.class,
            () -> NpmTarball.verify(tampered, NpmPackage.NSFWJS_4_4_0));
    assertEquals(tampered, e.file());
    assertTrue(e.getMessage().contains(tampered.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("nsfwjs@4.4.0"), e.getMessage());
    assertTrue(e.getMessage().contains(NpmPackage.NSFWJS_4_4_0.integrity()), e.getMessage());
    assertTrue(e.getMessage().contains("its SHA-512 is sha512-"), e.getMessage());
  }

  @Test
  void aTruncatedTarballIsRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(pristine());
    Path truncated =
        Files.write(dir.resolve("nsfwjs-4.4.0.tgz"), Arrays.copyOf(bytes, bytes.length / 3));
    TarballIntegrityException e =
        assertThrows(TarballIntegrityException.class, () -> MobileNetV2Nsfwjs.read(truncated));
    assertTrue(e.getMessage().contains(bytes.length / 3 + " bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("tampered with, truncated"), e.getMessage());
  }

  @Test
  void aCachedTarballThatFailsIsFetchedAgain() throws Exception {
    byte[] good = Files.readAllBytes(pristine());
    Path cached = dir.resolve("nsfwjs-4.4.0.tgz");
    Files.write(cached, Arrays.copyOf(good, 1000));

    Path fetched = NpmTarball.fetch(NpmPackage.NSFWJS_4_4_0, dir);

    assertEquals(cached, fetched);
    assertArrayEquals(good, Files.readAllBytes(fetched));
  }

  @Test
  void pinsMustBeRegistryDigests() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new NpmPackage("nsfwjs", "4.4.0", "sha1-abc", NpmPackage.NSFWJS_4_4_0.shasum()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new NpmPackage("nsfwjs", "4.4.0", NpmPackage.NSFWJS_4_4_0.integrity(), "xyz"));
  }
}
