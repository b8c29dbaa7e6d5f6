package io.mmsearch.backbones;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The build step of the image-backbone module (run by exec-maven-plugin at generate-resources):
 * fetches {@code nsfwjs@4.4.0} with {@code npm pack} (integrity checked) into an npm cache folder,
 * converts the shipped taps and writes {@value MobileNetV2Nsfwjs#SHIPPED_FILE} plus a small
 * descriptor, {@value #DESCRIPTOR}, into the output folder (the module's class-path root). A graph
 * already there with the pinned hash is kept.
 *
 * <pre>
 * BuildImageBackbone --npm-cache DIR --out DIR                 the shipped graph
 * BuildImageBackbone --npm-cache DIR --taps T1,T2,... FILE     any taps, e.g. for experiments
 * BuildImageBackbone --npm-cache DIR --candidates FILE         {@link MobileNetV2Nsfwjs#candidateTaps()}
 * </pre>
 */
public final class BuildImageBackbone {
  /** The descriptor written beside the shipped graph. */
  public static final String DESCRIPTOR = "mmsearch-image-backbone.properties";

  private BuildImageBackbone() {}

  public static void main(String[] args) throws IOException {
    Path npmCache = null;
    Path out = null;
    List<Tap> taps = null;
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--npm-cache" -> npmCache = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--taps" -> {
          taps = Tap.parseList(args[++i]);
          file = Path.of(args[++i]);
        }
        case "--candidates" -> {
          taps = MobileNetV2Nsfwjs.candidateTaps();
          file = Path.of(args[++i]);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (npmCache == null || (out == null) == (file == null)) {
      throw new IllegalArgumentException(
          "usage: --npm-cache DIR (--out DIR | --taps T1,T2 FILE | --candidates FILE)");
    }
    if (out != null) {
      writeShipped(npmCache, out);
    } else {
      ConvertedBackbone c = MobileNetV2Nsfwjs.convert(MobileNetV2Nsfwjs.fetch(npmCache), taps);
      writeAtomically(file, c.onnx());
      System.err.println(
          "wrote " + file + ": " + c.dimension() + " floats per image, SHA-256 " + c.sha256());
    }
  }

  /** Writes the shipped graph and its descriptor into {@code out} unless they are there already. */
  static void writeShipped(Path npmCache, Path out) throws IOException {
    Path graph = out.resolve(MobileNetV2Nsfwjs.SHIPPED_FILE);
    Path descriptor = out.resolve(DESCRIPTOR);
    if (Files.isRegularFile(graph)
        && Files.isRegularFile(descriptor)
        && sha256(graph).equals(MobileNetV2Nsfwjs.SHIPPED_SHA256)) {
      return;
    }
    ConvertedBackbone c = MobileNetV2Nsfwjs.shipped(MobileNetV2Nsfwjs.fetch(npmCache));
    Files.createDirectories(out);
    writeAtomically(graph, c.onnx());
    String properties =
        String.join(
            "\n",
            "# Written by the build (BuildImageBackbone); the image backbone on this class path.",
            "name=" + MobileNetV2Nsfwjs.SHIPPED_NAME,
            "file=" + MobileNetV2Nsfwjs.SHIPPED_FILE,
            "sha256=" + c.sha256(),
            "size=" + c.onnx().length,
            "dimension=" + c.dimension(),
            "min_size=" + c.minSize(),
            "taps=" + c.taps().stream().map(Tap::toString).collect(Collectors.joining(",")),
            "package=" + MobileNetV2Nsfwjs.PACKAGE.spec(),
            "integrity=" + MobileNetV2Nsfwjs.PACKAGE.integrity(),
            "");
    writeAtomically(descriptor, properties.getBytes(StandardCharsets.ISO_8859_1));
    System.err.println(
        "converted "
            + MobileNetV2Nsfwjs.PACKAGE.spec()
            + " to "
            + graph
            + " ("
            + c.onnx().length
            + " bytes, SHA-256 "
            + c.sha256()
            + ")");
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      o.write(bytes);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String sha256(Path file) throws IOException {
    return new ConvertedBackbone(Files.readAllBytes(file), List.of(), 0, 0).sha256();
  }
}
