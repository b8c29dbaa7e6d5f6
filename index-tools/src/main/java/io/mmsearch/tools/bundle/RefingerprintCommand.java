package io.mmsearch.tools.bundle;

import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mmsearch bundle refingerprint DIR}: recomputes a bundle's fingerprint as its files and
 * {@code bundle.json} are now, upgrading a format-1 descriptor to format 2 (whose fingerprint also
 * covers {@code bundle.json}'s settings).
 */
@Command(
    name = "refingerprint",
    mixinStandardHelpOptions = true,
    description = {
      "Recompute the fingerprint of a model bundle as it is now and rewrite bundle.json",
      "(format 1 bundles become format 2, whose fingerprint also covers bundle.json's settings).",
      "Use it after editing bundle.json on purpose or writing one by hand. The bundle must be",
      "valid otherwise; nothing is written if it is not. Indexes built with the old fingerprint",
      "refuse the new one: rebuild them."
    })
public final class RefingerprintCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The bundle directory.")
  Path directory;

  @Override
  public Integer call() throws Exception {
    ModelBundle.Refingerprinted r;
    try {
      r = ModelBundle.refingerprint(directory);
    } catch (InvalidBundleException e) {
      System.err.println("mmsearch bundle refingerprint: " + e.getMessage());
      return 1;
    }
    String before = r.previousFingerprint();
    String after = r.bundle().fingerprint();
    if (after.equals(before)) {
      System.out.printf("%s: fingerprint unchanged, %s%n", r.bundle().directory(), after);
    } else {
      System.out.printf(
          "%s: fingerprint %s -> %s (format %d)%n",
          r.bundle().directory(),
          before == null ? "(none)" : before,
          after,
          r.bundle().formatVersion());
      if (before != null) {
        System.out.println(
            "indexes built with the old fingerprint will refuse this bundle: rebuild them");
      }
    }
    return 0;
  }
}
