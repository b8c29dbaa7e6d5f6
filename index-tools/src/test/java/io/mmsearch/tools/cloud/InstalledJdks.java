package io.mmsearch.tools.cloud;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds an installed JDK of a given major version without a path written anywhere: it looks beside
 * the JDKs this machine already shows (this JVM's and each {@code java} on {@code PATH}), the way
 * {@code ./mmsearch} finds its JDK, and reads each candidate's {@code release} file.
 */
final class InstalledJdks {
  private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

  private InstalledJdks() {}

  /** Folders that hold JDKs, learned from the JDKs in sight. */
  static Set<Path> folders() throws IOException {
    Set<Path> folders = new LinkedHashSet<>();
    folders.add(Path.of(System.getProperty("java.home")).toRealPath().getParent());
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path java = Path.of(dir, "java");
      if (!dir.isEmpty() && Files.isExecutable(java)) {
        Path jdk = java.toRealPath().getParent().getParent(); // <jdk>/bin/java
        if (jdk.getParent() != null) {
          folders.add(jdk.getParent());
        }
      }
    }
    return folders;
  }

  /** The {@code java} executable of an installed JDK {@code major}, if there is one. */
  static Optional<Path> java(int major) throws IOException {
    for (Path folder : folders()) {
      try (Stream<Path> jdks = Files.list(folder)) {
        for (Path jdk : jdks.sorted().toList()) {
          Path release = jdk.resolve("release");
          Path java = jdk.resolve("bin/java");
          if (Files.isRegularFile(release) && Files.isExecutable(java)) {
            Matcher m = VERSION.matcher(Files.readString(release));
            if (m.find() && Integer.parseInt(m.group(1)) == major) {
              return Optional.of(java);
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
