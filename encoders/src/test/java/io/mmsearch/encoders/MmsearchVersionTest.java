package io.mmsearch.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MmsearchVersionTest {
  @Test
  void isTheVersionOfThisModulesPomAndASemanticVersion() throws Exception {
    String version = MmsearchVersion.current();
    assertTrue(
        version.matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?"),
        version + " is not a semantic version");
    Matcher pom =
        Pattern.compile("<artifactId>mmsearch-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(pom.find(), "encoders/pom.xml names its parent's version");
    assertEquals(pom.group(1), version);
  }
}
