package io.mmsearch.tools;

import picocli.CommandLine.IVersionProvider;

/** Reports the project version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = MmsearchCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "mmsearch " + (v == null ? "0.1.0-SNAPSHOT (development build)" : v),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
