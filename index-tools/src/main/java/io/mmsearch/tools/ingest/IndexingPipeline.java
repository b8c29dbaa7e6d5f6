package io.mmsearch.tools.ingest;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.encoders.image.ImageHeader;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.schema.DocumentValidator;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.InvalidDocumentException;
import io.mmsearch.lucene.schema.VectorFieldConfig;
import io.mmsearch.lucene.schema.VectorFormat;
import io.mmsearch.manifest.ImageFields;
import io.mmsearch.manifest.ManifestEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Indexes the images named by folders and manifests into an mmsearch index: the engine behind
 * {@code mmsearch index}.
 *
 * <p>Threads: one scanner walks the inputs into a bounded queue; {@code threads} workers each take
 * a batch, read the files, hash them, skip those the index already holds unchanged, let Tika detect
 * the real media type and fill missing captions and keywords from embedded metadata, and encode the
 * batch (the encoder decodes and preprocesses, with one model call per batch); a single writer
 * upserts the documents and commits every {@code commitInterval}. All queues are bounded, so memory
 * does not grow with the number of files.
 *
 * <p>Idempotent and resumable: each document stores a SHA-256 content hash of the image bytes and
 * the indexed text fields; a re-run skips unchanged items and replaces changed ones by id. A run
 * that is killed leaves the index at its last commit, and a re-run adds what is missing, with
 * nothing duplicated (documents are keyed by id). A document is written whole or not at all.
 *
 * <p>Every rejected item goes to the {@link ErrorReport} with its stage ({@code manifest}, {@code
 * scan}, {@code read}, {@code detect}, {@code decode}, {@code encode}, {@code validate}) and
 * reason; a bad item never stops the run. Only a failure of the index itself does. Text fields are
 * checked against the index's limits ({@link DocumentValidator}) before the image is even read, and
 * the whole document again before it reaches Lucene, so a value Lucene would refuse is a rejection
 * naming the field, never a failure of the run. Every item found is accounted for: when a run
 * completes, {@code found = added + updated + unchanged + rejected}.
 *
 * <p>One run per instance. {@link #requestStop()} may be called from any thread (a shutdown hook):
 * the pipeline stops taking new items, writes and commits what is in flight, and returns.
 */
public final class IndexingPipeline {
  /**
   * The writer's RAM buffer: segments flush at this size (the ANN benchmark builds its "as indexed"
   * layout with it too).
   */
  public static final double RAM_BUFFER_MB = 128;

  /** Stage names of the error report. */
  public static final String STAGE_READ = "read",
      STAGE_DETECT = "detect",
      STAGE_DECODE = "decode",
      STAGE_ENCODE = "encode",
      STAGE_VALIDATE = "validate";

  private static final IngestItem END = new IngestItem("\u0000end", Path.of("/"), null, null);

  private final List<Path> inputs;
  private final Path indexDir;
  private final DualEncoder encoders;
  private final ErrorReport errors;
  private final int threads;
  private final int batchSize;
  private final long commitIntervalNanos;
  private final boolean deleteMissing;
  private final boolean classFromFolder;
  private final boolean confine;
  private final boolean captionVectors;
  private final long maxFileBytes;
  private final VectorFormat vectorFormat;
  private final DirectoryOpener directoryOpener;
  private final Consumer<IndexWriterConfig> writerTuning;
  private final MultimodalIndexConfig indexConfig;
  private final DocumentValidator validator;

  private final ImagePreprocessor headerReader;
  private final ImageProbe probe = new ImageProbe();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicLong found = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong added = new AtomicLong();
  private final AtomicLong updated = new AtomicLong();
  private final AtomicLong unchanged = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private volatile boolean scanDone;
  private volatile boolean scanComplete;

  private IndexingPipeline(Builder b) {
    this.inputs = List.copyOf(b.inputs);
    this.indexDir = Objects.requireNonNull(b.indexDir, "index");
    this.encoders = Objects.requireNonNull(b.encoders, "encoders");
    this.errors = Objects.requireNonNull(b.errors, "errors");
    this.threads = b.threads;
    this.batchSize = b.batchSize;
    this.commitIntervalNanos = TimeUnit.SECONDS.toNanos(b.commitIntervalSeconds);
    this.deleteMissing = b.deleteMissing;
    this.classFromFolder = b.classFromFolder;
    this.confine = b.confine;
    this.captionVectors = b.captionVectors;
    this.maxFileBytes = b.maxFileBytes;
    this.vectorFormat = b.vectorFormat;
    this.directoryOpener = b.directoryOpener;
    this.writerTuning = b.writerTuning;
    this.indexConfig = indexConfig();
    this.validator = indexConfig.documentValidator();
    this.headerReader = new ImagePreprocessor(encoders.bundle().imageSpec());
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no inputs given");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Asks a running pipeline to stop soon, keeping (and committing) what is already done. */
  public void requestStop() {
    stop.set(true);
  }

  /** Waits up to {@code timeout} for {@link #run()} to return; true if it has. */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  /** A snapshot of the progress, safe to call from any thread. */
  public IndexingProgress progress() {
    return new IndexingProgress(found.get(), scanDone, done.get(), errors.count());
  }

  /**
   * Runs the whole pipeline and returns when everything is written and committed (or after a stop
   * request, when what was in flight is).
   *
   * @throws IOException if the index cannot be opened, written or committed
   * @throws io.mmsearch.lucene.schema.ModelMismatchException if the index was built with another
   *     model
   */
  public IndexingSummary run() throws IOException {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a pipeline runs once");
    }
    long start = System.nanoTime();
    try (Directory dir = directoryOpener.open(indexDir);
        MultimodalIndexWriter writer = MultimodalIndexWriter.open(dir, indexConfig);
        IndexSnapshot snapshot = IndexSnapshot.open(dir)) {
      errors.start(); // only now: a run refused by the write lock leaves the report alone
      BlockingQueue<IngestItem> items =
          new ArrayBlockingQueue<>(Math.max(64, threads * batchSize * 2));
      BlockingQueue<Written> toWrite = new ArrayBlockingQueue<>(Math.max(16, batchSize * 4));
      AtomicReference<Throwable> failure = new AtomicReference<>();

      Thread scanner = Thread.ofPlatform().name("mmsearch-scan").start(() -> scan(items, failure));
      List<Thread> workers = new ArrayList<>();
      CountDownLatch workersDone = new CountDownLatch(threads);
      for (int i = 0; i < threads; i++) {
        workers.add(
            Thread.ofPlatform()
                .name("mmsearch-encode-" + i)
                .start(
                    () -> {
                      try {
                        work(items, toWrite, snapshot, failure);
                      } finally {
                        workersDone.countDown();
                      }
                    }));
      }
      Thread.ofPlatform()
          .name("mmsearch-end-of-work")
          .start(
              () -> {
                awaitUninterruptibly(workersDone);
                putUninterruptibly(toWrite, Written.END);
              });
      write(writer, toWrite, failure);
      join(scanner);
      workers.forEach(IndexingPipeline::join);
      if (failure.get() != null) {
        try {
          writer.commit(); // keep what was written before the failure
        } catch (IOException | RuntimeException e) {
          failure.get().addSuppressed(e);
        }
        throw asIoException(failure.get());
      }
      boolean deleteSkipped = deleteMissing && (stop.get() || !scanComplete);
      if (deleteMissing && !deleteSkipped) {
        snapshot.forEachUnseenId(
            id -> {
              try {
                writer.delete(id);
                deleted.incrementAndGet();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
      }
      writer.commit();
      writer.refresh();
      long documents;
      var searcher = writer.searcherManager().acquire();
      try {
        documents = searcher.getIndexReader().numDocs();
      } finally {
        writer.searcherManager().release(searcher);
      }
      return new IndexingSummary(
          found.get(),
          added.get(),
          updated.get(),
          unchanged.get(),
          errors.count(),
          deleted.get(),
          documents,
          (System.nanoTime() - start) / 1e9,
          errors.countsPerStage(),
          errors.file(),
          stop.get(),
          deleteSkipped);
    } finally {
      finished.countDown();
    }
  }

  private MultimodalIndexConfig indexConfig() {
    ModelIdentity identity = new ModelIdentity(encoders.fingerprint(), encoders.dimension());
    VectorFieldConfig vectors = VectorFieldConfig.of(vectorFormat);
    return MultimodalIndexConfig.builder(identity)
        .imageVectorConfig(vectors)
        .captionVectorConfig(vectors)
        .writerTuning(
            iwc -> {
              iwc.setRAMBufferSizeMB(RAM_BUFFER_MB);
              writerTuning.accept(iwc);
            })
        .build();
  }

  // ---- scanner ----

  private void scan(BlockingQueue<IngestItem> items, AtomicReference<Throwable> failure) {
    try {
      InputScanner scanner = new InputScanner(classFromFolder, confine);
      scanner.scan(
          inputs,
          item -> {
            if (stop.get()) {
              throw new StopScan();
            }
            found.incrementAndGet();
            putUninterruptibly(items, item);
          },
          problem -> {
            found.incrementAndGet();
            done.incrementAndGet();
            errors.add(problem);
          });
      scanComplete = scanner.readEveryInput();
    } catch (StopScan e) {
      // Asked to stop: the items not yet queued are left for the next run.
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      stop.set(true);
    } finally {
      scanDone = true;
      for (int i = 0; i < threads; i++) {
        putUninterruptibly(items, END);
      }
    }
  }

  private static final class StopScan extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopScan() {
      super(null, null, false, false);
    }
  }

  // ---- workers ----

  /** An item whose bytes were read and checked, ready to be encoded. */
  private record Prepared(
      IngestItem item,
      byte[] bytes,
      String hash,
      boolean existed,
      ImageHeader header,
      String mime,
      ImageFields fields) {}

  /** A document for the writer; {@link #END} ends the stream. */
  private record Written(ImageDocument document, boolean existed, String itemName) {
    static final Written END = new Written(null, false, null);
  }

  /**
   * Takes batches until the end marker. After a stop request or a failure the worker keeps taking
   * (and dropping) items, so the scanner never blocks on a full queue and the end markers arrive.
   */
  private void work(
      BlockingQueue<IngestItem> items,
      BlockingQueue<Written> toWrite,
      IndexSnapshot snapshot,
      AtomicReference<Throwable> failure) {
    List<IngestItem> batch = new ArrayList<>(batchSize);
    while (true) {
      batch.clear();
      IngestItem first = takeUninterruptibly(items);
      if (first == END) {
        return;
      }
      batch.add(first);
      while (batch.size() < batchSize) {
        IngestItem next = items.poll();
        if (next == null) {
          break;
        }
        if (next == END) {
          // Give the end marker back for ourselves after this batch.
          putUninterruptibly(items, END);
          break;
        }
        batch.add(next);
      }
      if (stop.get()) {
        continue; // drop: the next run picks these up
      }
      try {
        List<Prepared> prepared = new ArrayList<>(batch.size());
        for (IngestItem item : batch) {
          Prepared p = prepare(item, snapshot);
          if (p != null) {
            prepared.add(p);
          }
        }
        for (Written w : encode(prepared)) {
          putUninterruptibly(toWrite, w);
        }
      } catch (Throwable t) {
        // Not a bad item (those are reported): the index snapshot or the encoder itself failed.
        failure.compareAndSet(null, t);
        stop.set(true);
      }
    }
  }

  private static <T> T takeUninterruptibly(BlockingQueue<T> queue) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return queue.take();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Reads, hashes and checks one item; null if it is unchanged or rejected (then reported). */
  private Prepared prepare(IngestItem item, IndexSnapshot snapshot) throws IOException {
    String name = item.itemName();
    ManifestEntry entry = item.entry();
    ImageFields fields = fields(item);
    // Before the file is read: a value the index cannot hold rejects the item at no cost.
    Optional<String> invalid = fieldProblem(fields);
    if (invalid.isPresent()) {
      if (validator.problem(ImageSchema.ID, item.id()).isEmpty()) {
        snapshot.contentHash(item.id()); // still in the inputs: keep it under --delete-missing
      }
      return reject(name, STAGE_VALIDATE, invalid.get());
    }
    byte[] bytes;
    try {
      Path file = item.file();
      if (confine && entry != null) {
        // Checked again here, where the file is read: a link may have changed since the manifest
        // was read. The bytes come from the resolved path that was checked.
        file = file.toRealPath();
        Path folder = entry.manifest().toAbsolutePath().getParent().toRealPath();
        if (!file.startsWith(folder)) {
          return reject(
              name,
              STAGE_READ,
              "the image leads through a symbolic link to "
                  + file
                  + ", outside the manifest's folder "
                  + folder
                  + " (--confine is set)");
        }
      }
      long size = Files.size(file);
      if (size > maxFileBytes) {
        return reject(
            name, STAGE_READ, "file is " + size + " bytes, over the limit of " + maxFileBytes);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return reject(name, STAGE_READ, "no such file " + item.file());
    } catch (IOException e) {
      if (Files.exists(item.file())) {
        snapshot.contentHash(item.id()); // still there: keep it under --delete-missing
      }
      return reject(name, STAGE_READ, InputScanner.describe(e));
    }
    if (bytes.length == 0) {
      snapshot.contentHash(item.id());
      return reject(name, STAGE_READ, "empty file (0 bytes)");
    }
    String mime = probe.detectMediaType(bytes);
    if (ImageProbe.isImage(mime) && (fields.caption() == null || fields.keywords().isEmpty())) {
      EmbeddedMetadata embedded = probe.readMetadata(bytes);
      if (fields.caption() == null) {
        fields = fields.withCaption(embedded.caption());
      }
      if (fields.keywords().isEmpty()) {
        fields = fields.withKeywords(embedded.keywords());
      }
      invalid = fieldProblem(fields);
      if (invalid.isPresent()) {
        snapshot.contentHash(item.id()); // still there: keep it under --delete-missing
        return reject(name, STAGE_VALIDATE, invalid.get() + " (from the image's own metadata)");
      }
    }
    String hash = contentHash(bytes, fields);
    Optional<String> existing = snapshot.contentHash(item.id());
    if (existing.isPresent() && existing.get().equals(hash)) {
      unchanged.incrementAndGet();
      done.incrementAndGet();
      return null;
    }
    if (!ImageProbe.isImage(mime)) {
      return reject(name, STAGE_DETECT, "not an image: the content is " + mime);
    }
    ImageHeader header;
    try {
      header = headerReader.readHeader(bytes, name);
    } catch (ImageDecodingException e) {
      return reject(name, STAGE_DECODE, e.reason());
    }
    try {
      // Larger than the decode budget is fine (the decoder subsamples); only this is refused.
      headerReader.checkBudget(header, name);
    } catch (ImageDecodingException e) {
      return reject(name, STAGE_DECODE, "image declares " + e.reason());
    }
    return new Prepared(
        item,
        bytes,
        hash,
        existing.isPresent(),
        header,
        header.mimeType() != null ? header.mimeType() : mime,
        fields);
  }

  /**
   * The shared manifest mapping of an item ({@link ImageFields#of(ManifestEntry)}), with the file
   * actually read as its uri and, for files found in folders, the folder's class if asked for.
   */
  private static ImageFields fields(IngestItem item) {
    ManifestEntry entry = item.entry();
    ImageFields fields =
        entry != null ? ImageFields.of(entry) : ImageFields.of(item.id(), item.file());
    if (fields.className() == null && item.folderClass() != null) {
      fields = fields.withClassName(item.folderClass());
    }
    return fields.withUri(item.file().toUri().toString());
  }

  /** The first field the index could not hold, as "field: reason". */
  private Optional<String> fieldProblem(ImageFields fields) {
    Optional<String> p =
        validator
            .problem(ImageSchema.ID, fields.id())
            .or(() -> validator.problem(ImageSchema.URI, fields.uri()))
            .or(() -> validator.problem(ImageSchema.CAPTION, fields.caption()))
            .or(() -> validator.problem(ImageSchema.CLASS, fields.className()))
            .or(() -> validator.problem(ImageSchema.SUBCLASS, fields.subclass()));
    for (String keyword : fields.keywords()) {
      if (p.isPresent()) {
        break;
      }
      p = validator.problem(ImageSchema.KEYWORDS, keyword);
    }
    return p;
  }

  private List<Written> encode(List<Prepared> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    List<byte[]> images = new ArrayList<>(batch.size());
    List<String> names = new ArrayList<>(batch.size());
    for (Prepared p : batch) {
      images.add(p.bytes());
      names.add(p.item().itemName());
    }
    List<EncodingResult> imageVectors = encodeImages(images, names);
    List<float[]> captionVectorsOut = encodeCaptions(batch);
    List<Written> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Prepared p = batch.get(i);
      EncodingResult r = imageVectors.get(i);
      if (!r.ok()) {
        String stage = r.error() instanceof ImageDecodingException ? STAGE_DECODE : STAGE_ENCODE;
        String reason =
            r.error() instanceof ImageDecodingException d ? d.reason() : r.error().getMessage();
        reject(p.item().itemName(), stage, reason);
        continue;
      }
      try {
        ImageDocument.Builder doc =
            ImageDocument.builder(p.fields())
                .imageVector(r.vector())
                .contentHash(p.hash())
                .size(p.header().width(), p.header().height())
                .mime(p.mime());
        if (captionVectorsOut.get(i) != null) {
          doc.captionVector(captionVectorsOut.get(i));
        }
        out.add(new Written(doc.build(), p.existed(), p.item().itemName()));
      } catch (InvalidDocumentException e) {
        reject(p.item().itemName(), STAGE_VALIDATE, e.reason());
      }
    }
    return out;
  }

  /** One model call for the batch; if the call itself fails, each image alone to isolate it. */
  private List<EncodingResult> encodeImages(List<byte[]> images, List<String> names) {
    try {
      return encoders.image().encodeEach(images, names);
    } catch (EncodingException batchFailure) {
      List<EncodingResult> results = new ArrayList<>(images.size());
      for (int i = 0; i < images.size(); i++) {
        try {
          results.add(EncodingResult.of(encoders.image().encode(images.get(i), names.get(i))));
        } catch (EncodingException e) {
          results.add(EncodingResult.failed(e));
        }
      }
      return results;
    }
  }

  /** Caption vectors (null where there is no caption or it has no words); never rejects. */
  private List<float[]> encodeCaptions(List<Prepared> batch) {
    List<float[]> out = new ArrayList<>(batch.size());
    List<String> texts = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      out.add(null);
      String caption = batch.get(i).fields().caption();
      if (captionVectors && caption != null) {
        texts.add(caption);
        slots.add(i);
      }
    }
    if (texts.isEmpty()) {
      return out;
    }
    try {
      List<EncodingResult> results = encoders.text().encodeEach(texts);
      for (int j = 0; j < results.size(); j++) {
        if (results.get(j).ok()) {
          out.set(slots.get(j), results.get(j).vector());
        }
      }
    } catch (EncodingException e) {
      // A caption vector is an extra; without it the document is still searchable by image.
    }
    return out;
  }

  private Prepared reject(String item, String stage, String reason) {
    errors.add(item, stage, reason);
    done.incrementAndGet();
    return null;
  }

  // ---- writer ----

  private void write(
      MultimodalIndexWriter writer,
      BlockingQueue<Written> toWrite,
      AtomicReference<Throwable> failure)
      throws IOException {
    long lastCommit = System.nanoTime();
    boolean interrupted = false;
    while (true) {
      Written w;
      try {
        w = toWrite.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true; // treated as a stop request; the interrupt is restored at the end
        stop.set(true);
        continue;
      }
      if (w == Written.END) {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      if (w != null && failure.get() == null) {
        try {
          writer.upsert(w.document());
          (w.existed() ? updated : added).incrementAndGet();
        } catch (InvalidDocumentException e) {
          errors.add(w.itemName(), STAGE_VALIDATE, e.reason());
        } catch (IllegalArgumentException e) {
          if (writer.indexWriter().getTragicException() != null) {
            failure.compareAndSet(null, e);
            stop.set(true);
          } else {
            // Lucene refused this one document (a limit the validator does not know yet) and
            // dropped it whole; the writer is fine, so the run goes on.
            errors.add(w.itemName(), STAGE_VALIDATE, "refused by Lucene: " + e.getMessage());
          }
        } catch (IOException | RuntimeException e) {
          failure.compareAndSet(null, e);
          stop.set(true);
        }
        done.incrementAndGet();
      }
      if (failure.get() == null && System.nanoTime() - lastCommit >= commitIntervalNanos) {
        try {
          writer.commit();
        } catch (IOException | RuntimeException e) {
          // Keep draining the queue to its end marker so no thread is left blocked.
          failure.compareAndSet(null, e);
          stop.set(true);
        }
        lastCommit = System.nanoTime();
      }
    }
  }

  // ---- helpers ----

  /**
   * SHA-256 over the image bytes and the text fields that go into the document, so that a changed
   * caption in a manifest is re-indexed even when the image is the same.
   */
  static String contentHash(byte[] bytes, ImageFields fields) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
    sha.update(bytes);
    // Absent caption hashes as "" and absent labels as "null", as they always have, so that an
    // unchanged item keeps its hash across versions.
    for (String field :
        List.of(
            fields.caption() == null ? "" : fields.caption(),
            String.join("\u001f", fields.keywords()),
            String.valueOf(fields.className()),
            String.valueOf(fields.subclass()))) {
      sha.update((byte) 0x1e);
      sha.update(field.getBytes(StandardCharsets.UTF_8));
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  private static <T> void putUninterruptibly(BlockingQueue<T> queue, T value) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(value);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // keep waiting: the writer needs the end marker
      }
    }
  }

  private static void join(Thread t) {
    while (true) {
      try {
        t.join();
        return;
      } catch (InterruptedException e) {
        // keep waiting
      }
    }
  }

  private static IOException asIoException(Throwable t) {
    if (t instanceof IOException io) {
      return io;
    }
    if (t instanceof UncheckedIOException u) {
      return u.getCause();
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IOException(t);
  }

  /** Opens the index folder as a Lucene directory. */
  @FunctionalInterface
  public interface DirectoryOpener {
    Directory open(Path folder) throws IOException;
  }

  /** Options of an {@link IndexingPipeline}. Not thread-safe. */
  public static final class Builder {
    private final List<Path> inputs = new ArrayList<>();
    private Path indexDir;
    private DualEncoder encoders;
    private ErrorReport errors;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int batchSize = 32;
    private long commitIntervalSeconds = 60;
    private boolean deleteMissing;
    private boolean classFromFolder;
    private boolean confine;
    private boolean captionVectors = true;
    private long maxFileBytes = 256L << 20;
    private VectorFormat vectorFormat = VectorFieldConfig.DEFAULT.format();
    private DirectoryOpener directoryOpener = FSDirectory::open;
    private Consumer<IndexWriterConfig> writerTuning = iwc -> {};

    private Builder() {}

    /** Folders, manifests or image files, processed in order. */
    public Builder inputs(List<Path> inputs) {
      this.inputs.addAll(inputs);
      return this;
    }

    /** The index folder; created if missing. */
    public Builder index(Path indexDir) {
      this.indexDir = indexDir;
      return this;
    }

    /** The encoders of the model bundle; owned by the caller, who closes them after the run. */
    public Builder encoders(DualEncoder encoders) {
      this.encoders = encoders;
      return this;
    }

    /** Where rejected items go; owned by the caller. */
    public Builder errors(ErrorReport errors) {
      this.errors = errors;
      return this;
    }

    /** Worker threads that read, check and encode; default: the number of cores. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Images per model call; default 32. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Seconds between commits; default 60. The end of the run always commits. */
    public Builder commitIntervalSeconds(long seconds) {
      if (seconds < 0) {
        throw new IllegalArgumentException("commit interval must be >= 0, got " + seconds);
      }
      this.commitIntervalSeconds = seconds;
      return this;
    }

    /** Delete documents whose items are no longer in the inputs; default false. */
    public Builder deleteMissing(boolean deleteMissing) {
      this.deleteMissing = deleteMissing;
      return this;
    }

    /** Use the parent folder's name as class for files found in folders; default false. */
    public Builder classFromFolder(boolean classFromFolder) {
      this.classFromFolder = classFromFolder;
      return this;
    }

    /** Reject manifest image paths outside the manifest's folder even when absolute. */
    public Builder confine(boolean confine) {
      this.confine = confine;
      return this;
    }

    /** Also store a text-encoder vector of each caption ({@code caption_vec}); default true. */
    public Builder captionVectors(boolean captionVectors) {
      this.captionVectors = captionVectors;
      return this;
    }

    /** Files larger than this are rejected unread; default 256 MiB. */
    public Builder maxFileBytes(long maxFileBytes) {
      this.maxFileBytes = maxFileBytes;
      return this;
    }

    /** HNSW vector format of a new index; default {@link VectorFieldConfig#DEFAULT}. */
    public Builder vectorFormat(VectorFormat format) {
      this.vectorFormat = Objects.requireNonNull(format);
      return this;
    }

    /**
     * How the index folder becomes a Lucene {@link Directory}; default {@link FSDirectory#open}.
     * The pipeline closes the directory. For tests that inject faults into the file system.
     */
    public Builder directoryOpener(DirectoryOpener opener) {
      this.directoryOpener = Objects.requireNonNull(opener);
      return this;
    }

    /**
     * Adjusts the {@link IndexWriterConfig} after the pipeline's own settings (merge policy, RAM
     * buffer, info stream); must not change the analyzer or the codec. For tests and benchmarks.
     */
    public Builder writerTuning(Consumer<IndexWriterConfig> tuning) {
      this.writerTuning = Objects.requireNonNull(tuning);
      return this;
    }

    public IndexingPipeline build() {
      return new IndexingPipeline(this);
    }
  }
}
