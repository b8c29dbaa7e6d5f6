package io.mmsearch.backbones;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One version of an npm package, pinned by the digests the registry publishes for its tarball:
 * {@code dist.integrity} (SRI form, {@code sha512-<base64>}) and {@code dist.shasum} (SHA-1 hex),
 * taken once with {@code npm view <name>@<version> dist.integrity dist.shasum}.
 *
 * @param name the package name (unscoped)
 * @param version the exact version
 * @param integrity {@code sha512-<base64>} of the tarball
 * @param shasum SHA-1 of the tarball, lower-case hex
 */
public record NpmPackage(String name, String version, String integrity, String shasum) {

  /**
   * nsfwjs 4.4.0 (MIT, Infinite Red): its {@code dist/models/mobilenet_v2/} is a Keras MobileNetV2
   * (width 1.0, 224 px) as a TF.js layers model with uint8-quantized weights, initialised from
   * ImageNet, blocks 11 and later fine-tuned on NSFW data.
   */
  public static final NpmPackage NSFWJS_4_4_0 =
      new NpmPackage(
          "nsfwjs",
          "4.4.0",
          "sha512-krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA==",
          "706017d11e44de0803b73a568819f800a50ae470");

  private static final String SHA512_PREFIX = "sha512-";

  public NpmPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    if (name.isEmpty() || name.contains("/") || name.startsWith("@")) {
      throw new IllegalArgumentException("only unscoped package names are supported: " + name);
    }
    if (integrity == null || !integrity.startsWith(SHA512_PREFIX)) {
      throw new IllegalArgumentException("integrity must be sha512-<base64>, got " + integrity);
    }
    if (Base64.getDecoder().decode(integrity.substring(SHA512_PREFIX.length())).length != 64) {
      throw new IllegalArgumentException("integrity is not a SHA-512 digest: " + integrity);
    }
    if (shasum == null
        || shasum.length() != 40
        || !shasum.chars().allMatch(HexFormat::isHexDigit)) {
      throw new IllegalArgumentException("shasum must be 40 hex digits, got " + shasum);
    }
  }

  /** {@code name@version}, as npm spells it. */
  public String spec() {
    return name + "@" + version;
  }

  /** The file {@code npm pack} writes: {@code <name>-<version>.tgz}. */
  public String tarballName() {
    return name + "-" + version + ".tgz";
  }

  /** The SHA-512 digest the integrity string encodes. */
  byte[] sha512() {
    return Base64.getDecoder().decode(integrity.substring(SHA512_PREFIX.length()));
  }

  @Override
  public String toString() {
    return spec();
  }
}
