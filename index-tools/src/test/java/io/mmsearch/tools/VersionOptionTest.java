package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.MmsearchVersion;
import org.junit.jupiter.api.Test;

class VersionOptionTest {
  @Test
  void printsTheBuildsMmsearchVersionAndTheJvm() {
    Cli cli = Cli.run("--version");
    assertEquals(0, cli.exitCode(), cli.err());
    String[] lines = cli.out().strip().split("\n");
    assertEquals("mmsearch " + MmsearchVersion.current(), lines[0]);
    assertTrue(lines[1].startsWith("Java " + Runtime.version()), cli.out());
  }
}
