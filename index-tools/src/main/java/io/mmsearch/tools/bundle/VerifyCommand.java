package io.mmsearch.tools.bundle;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.text.TextInputSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmsearch bundle verify DIR}: opens a bundle the way {@code index} and {@code search} do
 * (fingerprint, tokenizer, backbone bytes, both graphs against the contract) and encodes one text,
 * so a bundle someone assembled by hand is proven before it indexes anything.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Open a model bundle with the ONNX Runtime engine: check its fingerprint, tokenizer,",
      "backbone (SHA-256) and both graphs, encode one text, and describe it."
    })
public final class VerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The bundle directory.")
  Path directory;

  @Option(
      names = "--text",
      defaultValue = "a smiling face",
      description = "Text to encode as a check (default: ${DEFAULT-VALUE}).")
  String text;

  @Override
  public Integer call() throws Exception {
    try (DualEncoder enc =
        Encoders.open(EncoderCriteria.builder().bundle(directory).intraOpThreads(1).build())) {
      ModelBundle b = enc.bundle();
      TextInputSpec t = b.textSpec();
      float[] v = enc.text().encode(text);
      System.out.printf("bundle       %s (%s)%n", b.name(), b.directory());
      System.out.printf("format       %d, fingerprint %s%n", b.formatVersion(), b.fingerprint());
      System.out.printf("dimension    %d%n", b.dimension());
      System.out.printf(
          "image        %s: %s %dx%d, %s%n",
          b.imageModelFile().getFileName(),
          b.imageInputName(),
          b.imageSpec().size(),
          b.imageSpec().size(),
          b.imageSpec().resize().name().toLowerCase(Locale.ROOT));
      if (b.imageBackbone() != null) {
        System.out.printf(
            "image bb     %s, %d features, images below %d px refused, from %s%n",
            b.imageBackboneSpec().name(),
            b.imageBackboneSpec().dimension(),
            b.imageBackboneSpec().minSize(),
            b.imageBackbone().where());
      }
      System.out.printf(
          "text         %s tokenizer (%s), max %d tokens%n",
          t.tokenizer(), t.vocabulary(), t.maxTokens());
      if (b.backbone() != null) {
        System.out.printf(
            "backbone     %s, %d features, pooling %s, from %s%n",
            t.backbone().name(),
            t.backbone().dimension(),
            t.backbone().graph().pooling().jsonName(),
            b.backbone().where());
      }
      System.out.printf("check        \"%s\" -> %d floats, unit length%n", text, v.length);
      return 0;
    } catch (IOException | EncodingException e) {
      System.err.println("mmsearch bundle verify: " + e.getMessage());
      return 1;
    }
  }
}
