package io.mmsearch.backbones;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Reads the regular files of one folder out of an npm tarball ({@code .tgz}). */
final class TarballFiles {
  private TarballFiles() {}

  /**
   * The files directly inside {@code folder} (a path inside the tarball such as {@code
   * package/dist/models/mobilenet_v2/}), by file name.
   *
   * @throws IOException if the tarball cannot be read or holds no such files, naming both
   */
  static Map<String, byte[]> read(Path tarball, String folder) throws IOException {
    String prefix = folder.endsWith("/") ? folder : folder + "/";
    Map<String, byte[]> files = new TreeMap<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = e.getName();
        if (e.isFile() && name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
          files.put(name.substring(prefix.length()), tar.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new IOException(tarball + " is not a readable npm tarball: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new IOException(tarball + " has no files in " + prefix);
    }
    return files;
  }
}
