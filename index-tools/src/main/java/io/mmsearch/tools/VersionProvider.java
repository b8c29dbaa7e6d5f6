package io.mmsearch.tools;

import io.mmsearch.encoders.MmsearchVersion;
import picocli.CommandLine.IVersionProvider;

/** Reports the mmsearch version the build recorded ({@link MmsearchVersion}) and the JVM. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "mmsearch " + MmsearchVersion.current(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
