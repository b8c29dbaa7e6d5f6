package io.mmsearch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.tools.PipelineOptions;
import io.mmsearch.tools.ingest.ErrorReport;
import io.mmsearch.tools.ingest.ImageProbe;
import io.mmsearch.tools.ingest.IndexingPipeline;
import io.mmsearch.tools.ingest.IndexingSummary;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mmsearch bench index}: images per second through the real ingest pipeline, end to end.
 *
 * <p>The corpus is {@link AugmentedImageSet}: the sample manifest's images repeated with light,
 * seeded augmentation up to {@code --images} distinct files, written with a JSONL manifest into a
 * work folder (not timed). The timed part is one {@link IndexingPipeline} run on that manifest into
 * a new index, configured as {@code mmsearch index} configures it: read, hash, Tika detection,
 * decode and preprocess on all cores, batched ONNX Runtime encoding of the images and their
 * captions, a single Lucene writer, and the final commit.
 *
 * <p>Then, to show where the time goes, each stage runs alone on one thread over the first {@code
 * --breakdown-images} images and its thread CPU time per image is reported. The stages overlap in
 * the pipeline, so these figures explain the throughput rather than add up to it exactly.
 *
 * <p>Exit code 0, or 1 if the pipeline rejected any generated image (then the figures are not
 * comparable and the error report in the work folder says why).
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Indexing throughput (images/s) end to end through the mmsearch index pipeline, on"
          + " augmented copies of the sample images, with a per-stage CPU breakdown.",
    })
public final class IndexBench implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin SampleCorpusOptions inputs;

  @Option(names = "--images", description = "Distinct images to index (default: ${DEFAULT-VALUE}).")
  int images = 20_000;

  @Mixin PipelineOptions pipelineOptions;

  @Option(
      names = "--breakdown-images",
      description =
          "Images for the per-stage CPU breakdown; 0 skips it (default: ${DEFAULT-VALUE}).")
  int breakdownImages = 1000;

  @Option(names = "--seed", description = "Augmentation seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (images < 1
        || pipelineOptions.batchSize() < 1
        || pipelineOptions.threads() < 1
        || breakdownImages < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--images, --batch-size and --threads must be >= 1, --breakdown-images >= 0");
    }
    Path bundle = inputs.bundle();
    Path manifest = inputs.manifest();
    try (WorkFolder work = inputs.workFolder("mmsearch-bench-index")) {
      return run(bundle, manifest, work.path());
    }
  }

  private int run(Path bundle, Path manifest, Path work) throws Exception {
    if (Files.exists(work.resolve("index")) || Files.exists(work.resolve("stages"))) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "the work folder " + work + " holds a previous run; pass an empty or new --work-dir");
    }
    long generateStart = System.nanoTime();
    AugmentedImageSet corpus =
        AugmentedImageSet.generate(
            AugmentedImageSet.readSources(manifest), images, seed, work.resolve("images"));
    Path corpusManifest = work.resolve("manifest.jsonl");
    corpus.writeManifest(corpusManifest);
    double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
    if (!json) {
      System.out.printf(
          Locale.ROOT,
          "Generated %d augmented images from %s in %.1f s (not timed below)%n",
          images,
          manifest,
          generateSeconds);
    }

    // Opened exactly as `mmsearch index` opens them.
    try (DualEncoder encoders =
        Encoders.open(EncoderCriteria.builder().bundle(bundle).intraOpThreads(1).build())) {
      Path index = work.resolve("index");
      Files.createDirectories(index);
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      double loadBefore = BenchInputs.loadAverage();
      long cpuBefore = os.getProcessCpuTime();
      IndexingSummary summary;
      try (ErrorReport errors = ErrorReport.create(work.resolve("errors.jsonl"))) {
        summary =
            pipelineOptions
                .applyTo(IndexingPipeline.builder())
                .inputs(List.of(corpusManifest))
                .index(index)
                .encoders(encoders)
                .errors(errors)
                .build()
                .run();
      }
      double cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
      double loadAfter = BenchInputs.loadAverage();
      long indexed = summary.added() + summary.updated();
      double perSecond = indexed / summary.seconds();
      double cpuMsPerImage = cpuSeconds * 1000 / Math.max(1, indexed);
      double coresBusy = cpuSeconds / summary.seconds();

      Map<String, Double> stages =
          breakdownImages == 0 ? Map.of() : breakdown(corpus, encoders, work.resolve("stages"));

      if (json) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("bench", "index");
        o.put("images", indexed);
        o.put("images_per_s", BenchInputs.round(perSecond, 1));
        o.put("seconds", BenchInputs.round(summary.seconds(), 2));
        o.put("rejected", summary.rejected());
        o.put("threads", pipelineOptions.threads());
        o.put("batch_size", pipelineOptions.batchSize());
        o.put("caption_vectors", pipelineOptions.captionVectors());
        o.put("cores", Runtime.getRuntime().availableProcessors());
        o.put("process_cpu_ms_per_image", BenchInputs.round(cpuMsPerImage, 3));
        o.put("cores_busy", BenchInputs.round(coresBusy, 2));
        o.put("load_average_before", BenchInputs.round(loadBefore, 2));
        o.put("load_average_after", BenchInputs.round(loadAfter, 2));
        o.put("model", encoders.bundle().name());
        o.put("fingerprint", encoders.fingerprint());
        ObjectNode cpu = o.putObject("stage_cpu_ms_per_image");
        stages.forEach((k, v) -> cpu.put(k, BenchInputs.round(v, 3)));
        System.out.println(o);
      } else {
        System.out.printf(
            Locale.ROOT,
            "Indexing end to end (IndexingPipeline as in `mmsearch index`): model %s (%s),"
                + " %d threads, batch %d, caption vectors %s, %d cores%n",
            encoders.bundle().name(),
            encoders.fingerprint().substring(0, 12),
            pipelineOptions.threads(),
            pipelineOptions.batchSize(),
            pipelineOptions.captionVectors() ? "on" : "off",
            Runtime.getRuntime().availableProcessors());
        System.out.printf(
            Locale.ROOT,
            "%8s %8s %9s %9s %12s %11s %14s%n",
            "images",
            "rejected",
            "seconds",
            "images/s",
            "cpu ms/img",
            "cores busy",
            "load avg");
        System.out.printf(
            Locale.ROOT,
            "%8d %8d %9.2f %9.1f %12.3f %11.2f %6.2f->%-6.2f%n",
            indexed,
            summary.rejected(),
            summary.seconds(),
            perSecond,
            cpuMsPerImage,
            coresBusy,
            loadBefore,
            loadAfter);
        if (!stages.isEmpty()) {
          System.out.printf(
              Locale.ROOT,
              "Where the CPU goes: each stage alone on one thread, %d images, CPU ms per image%n",
              Math.min(breakdownImages, corpus.items().size()));
          double total = 0;
          for (Map.Entry<String, Double> e : stages.entrySet()) {
            System.out.printf(Locale.ROOT, "  %-22s %8.3f%n", e.getKey(), e.getValue());
            total += e.getValue();
          }
          int cores = Runtime.getRuntime().availableProcessors();
          System.out.printf(
              Locale.ROOT,
              "  %-22s %8.3f  (at most %.0f images/s on %d cores if the stages overlapped"
                  + " perfectly)%n",
              "sum",
              total,
              cores * 1000 / total,
              cores);
        }
      }
      return summary.rejected() == 0 ? 0 : 1;
    }
  }

  /**
   * Runs each stage of the pipeline alone on the calling thread and returns its thread CPU time per
   * image, in milliseconds, in pipeline order. ONNX Runtime runs on the calling thread with one
   * intra-op thread, so its time is counted; Lucene's background merges are not (a
   * thousand-document index does not merge).
   */
  private Map<String, Double> breakdown(AugmentedImageSet corpus, DualEncoder encoders, Path dir)
      throws Exception {
    List<AugmentedImageSet.Item> items =
        corpus.items().subList(0, Math.min(breakdownImages, corpus.items().size()));
    int n = items.size();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    ImagePreprocessor preprocessor = new ImagePreprocessor(encoders.bundle().imageSpec());
    ImageProbe probe = new ImageProbe();
    Map<String, Double> perImage = new LinkedHashMap<>();

    List<byte[]> bytes = new ArrayList<>(n);
    long t0 = cpu.getCurrentThreadCpuTime();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (AugmentedImageSet.Item item : items) {
      byte[] b = Files.readAllBytes(item.file());
      sha.digest(b);
      probe.detectMediaType(b);
      bytes.add(b);
    }
    perImage.put("read+hash+detect", ms(cpu.getCurrentThreadCpuTime() - t0, n));

    t0 = cpu.getCurrentThreadCpuTime();
    float sink = 0;
    for (int i = 0; i < n; i++) {
      sink += preprocessor.toTensor(preprocessor.decode(bytes.get(i), items.get(i).id()))[0];
    }
    double preprocessMs = ms(cpu.getCurrentThreadCpuTime() - t0, n);
    perImage.put("decode+preprocess", preprocessMs);

    List<float[]> imageVectors = new ArrayList<>(n);
    t0 = cpu.getCurrentThreadCpuTime();
    for (int from = 0; from < n; from += pipelineOptions.batchSize()) {
      int to = Math.min(n, from + pipelineOptions.batchSize());
      List<String> names = items.subList(from, to).stream().map(i -> i.id()).toList();
      for (EncodingResult r : encoders.image().encodeEach(bytes.subList(from, to), names)) {
        imageVectors.add(r.orThrow());
      }
    }
    // encodeEach decodes and preprocesses itself; what is left is the model call and its tensors.
    perImage.put("image model", ms(cpu.getCurrentThreadCpuTime() - t0, n) - preprocessMs);

    List<float[]> captionVectors = new ArrayList<>(n);
    t0 = cpu.getCurrentThreadCpuTime();
    for (int from = 0; from < n; from += pipelineOptions.batchSize()) {
      List<String> captions =
          items.subList(from, Math.min(n, from + pipelineOptions.batchSize())).stream()
              .map(i -> Objects.requireNonNullElse(i.fields().caption(), ""))
              .toList();
      for (EncodingResult r : encoders.text().encodeEach(captions)) {
        captionVectors.add(r.ok() ? r.vector() : null);
      }
    }
    perImage.put("caption encode", ms(cpu.getCurrentThreadCpuTime() - t0, n));

    ModelIdentity identity = new ModelIdentity(encoders.fingerprint(), encoders.dimension());
    VectorFieldConfig vectors = VectorFieldConfig.of(VectorFormat.FLOAT32);
    MultimodalIndexConfig config =
        MultimodalIndexConfig.builder(identity)
            .imageVectorConfig(vectors)
            .captionVectorConfig(vectors)
            .writerTuning(iwc -> iwc.setRAMBufferSizeMB(128))
            .build();
    t0 = cpu.getCurrentThreadCpuTime();
    try (Directory directory = FSDirectory.open(dir);
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(directory, config)) {
      for (int i = 0; i < n; i++) {
        AugmentedImageSet.Item item = items.get(i);
        ImageDocument.Builder doc =
            ImageDocument.builder(item.fields())
                .imageVector(imageVectors.get(i))
                .size(64, 64)
                .mime("image/png");
        if (captionVectors.get(i) != null) {
          doc.captionVector(captionVectors.get(i));
        }
        writer.upsert(doc.build());
      }
      writer.commit();
    }
    perImage.put("lucene write+commit", ms(cpu.getCurrentThreadCpuTime() - t0, n));
    if (Float.isNaN(sink)) {
      throw new IllegalStateException("preprocessing produced NaN");
    }
    return perImage;
  }

  private static double ms(long nanos, int images) {
    return nanos / 1e6 / images;
  }
}
