package io.mmsearch.tools.ingest;

import static io.mmsearch.tools.ingest.IndexingPipeline.STAGE_DECODE;
import static io.mmsearch.tools.ingest.IndexingPipeline.STAGE_DETECT;
import static io.mmsearch.tools.ingest.IndexingPipeline.STAGE_READ;
import static io.mmsearch.tools.ingest.IndexingPipeline.STAGE_VALIDATE;

import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.encoders.image.ImageHeader;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.image.RefusedFileException;
import io.mmsearch.lucene.schema.DocumentValidator;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.manifest.ImageFields;
import io.mmsearch.manifest.ManifestEntry;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The first step of indexing an item, before any model runs: its text fields checked against the
 * index's limits, its file read (through {@link ImageFileReader}: regular files within the budget
 * only) and hashed, skipped if the index holds it unchanged, its real media type detected, missing
 * caption and keywords taken from its embedded metadata, and its header checked against the decode
 * budget. Every rejection is reported with its stage and reason. Thread-safe.
 */
final class ItemPreparer {

  /** An item whose bytes were read and checked, ready to be encoded. */
  record Prepared(
      IngestItem item,
      byte[] bytes,
      String hash,
      boolean existed,
      ImageHeader header,
      String mime,
      ImageFields fields) {}

  private final DocumentValidator validator;
  private final ImageFileReader fileReader;
  private final ImagePreprocessor headerReader;
  private final boolean confine;
  private final IngestCounters counters;
  private final ImageProbe probe = new ImageProbe();

  ItemPreparer(
      DocumentValidator validator,
      ImageFileReader fileReader,
      ImagePreprocessor headerReader,
      boolean confine,
      IngestCounters counters) {
    this.validator = validator;
    this.fileReader = fileReader;
    this.headerReader = headerReader;
    this.confine = confine;
    this.counters = counters;
  }

  /**
   * Reads, hashes and checks one item; null if it is unchanged or rejected (then reported).
   *
   * @throws ClosedByInterruptException if the thread was interrupted while reading (the item is
   *     neither done nor rejected: the run is stopping)
   * @throws IOException if the index snapshot cannot be read
   */
  Prepared prepare(IngestItem item, IndexSnapshot snapshot) throws IOException {
    String name = item.itemName();
    ManifestEntry entry = item.entry();
    ImageFields fields = fields(item);
    // Before the file is read: a value the index cannot hold rejects the item at no cost.
    Optional<String> invalid = fieldProblem(fields);
    if (invalid.isPresent()) {
      if (validator.problem(ImageSchema.ID, item.id()).isEmpty()) {
        snapshot.contentHash(item.id()); // still in the inputs: keep it under --delete-missing
      }
      return counters.reject(name, STAGE_VALIDATE, invalid.get());
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
          return counters.reject(
              name,
              STAGE_READ,
              "the image leads through a symbolic link to "
                  + file
                  + ", outside the manifest's folder "
                  + folder
                  + " (--confine is set)");
        }
      }
      bytes = fileReader.read(file);
    } catch (ClosedByInterruptException e) {
      throw e; // the run is stopping, the file is fine
    } catch (NoSuchFileException e) {
      return counters.reject(name, STAGE_READ, "no such file " + item.file());
    } catch (RefusedFileException e) {
      snapshot.contentHash(item.id()); // still there: keep it under --delete-missing
      return counters.reject(name, STAGE_READ, e.reason());
    } catch (IOException e) {
      if (Files.exists(item.file())) {
        snapshot.contentHash(item.id()); // still there: keep it under --delete-missing
      }
      return counters.reject(name, STAGE_READ, InputScanner.describe(e));
    }
    if (bytes.length == 0) {
      snapshot.contentHash(item.id());
      return counters.reject(name, STAGE_READ, "empty file (0 bytes)");
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
        return counters.reject(
            name, STAGE_VALIDATE, invalid.get() + " (from the image's own metadata)");
      }
    }
    String hash = contentHash(bytes, fields);
    Optional<String> existing = snapshot.contentHash(item.id());
    if (existing.isPresent() && existing.get().equals(hash)) {
      counters.unchanged();
      return null;
    }
    if (!ImageProbe.isImage(mime)) {
      return counters.reject(name, STAGE_DETECT, "not an image: the content is " + mime);
    }
    ImageHeader header;
    try {
      header = headerReader.readHeader(bytes, name);
    } catch (ImageDecodingException e) {
      return counters.reject(name, STAGE_DECODE, e.reason());
    }
    try {
      // Larger than the decode budget is fine (the decoder subsamples); only this is refused.
      headerReader.checkBudget(header, name);
    } catch (ImageDecodingException e) {
      return counters.reject(name, STAGE_DECODE, "image declares " + e.reason());
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
}
