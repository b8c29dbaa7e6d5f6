package io.mmsearch.tools.eval;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.lucene.index.IndexingReport;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Indexes the images of a manifest with one image encoder, for {@code mmsearch eval --manifest}.
 * Each image becomes one document: id, uri (the image path), caption (the first caption), keywords,
 * class, subclass, the image vector and, when a text encoder is given, the caption vector. A bad
 * manifest line, an unreadable image or an image the encoder rejects is reported and skipped; it
 * never stops the others (a caption the text encoder rejects only loses its caption vector).
 *
 * <p>{@code mmsearch index} is the full indexing tool; this class exists so an evaluation can build
 * its throw-away index in one step. Not thread-safe; stateless between calls.
 */
public final class ManifestIndexer {

  private static final int BATCH = 32;

  private ManifestIndexer() {}

  /**
   * Reads {@code manifest}, encodes its images and upserts them into {@code writer}, then commits.
   *
   * @param problems receives one message per skipped line or image, naming it and the reason
   * @return how many documents were indexed
   */
  public static int index(
      Path manifest, ImageEncoder encoder, MultimodalIndexWriter writer, Consumer<String> problems)
      throws IOException {
    return index(manifest, encoder, null, writer, problems);
  }

  /**
   * As {@link #index(Path, ImageEncoder, MultimodalIndexWriter, Consumer)}, also storing each
   * caption's vector from {@code captionEncoder} (null for none).
   */
  public static int index(
      Path manifest,
      ImageEncoder encoder,
      TextEncoder captionEncoder,
      MultimodalIndexWriter writer,
      Consumer<String> problems)
      throws IOException {
    List<ManifestEntry> batch = new ArrayList<>(BATCH);
    int[] indexed = {0};
    ManifestReader reader = ManifestReader.of(manifest);
    IOException[] failure = {null};
    reader.read(
        entry -> {
          if (failure[0] != null) {
            return;
          }
          batch.add(entry);
          if (batch.size() == BATCH) {
            try {
              indexed[0] += flush(batch, encoder, captionEncoder, writer, problems);
            } catch (IOException e) {
              failure[0] = e;
            }
          }
        },
        problem -> problems.accept(problem.toString()));
    if (failure[0] != null) {
      throw failure[0];
    }
    indexed[0] += flush(batch, encoder, captionEncoder, writer, problems);
    writer.commit();
    return indexed[0];
  }

  private static int flush(
      List<ManifestEntry> batch,
      ImageEncoder encoder,
      TextEncoder captionEncoder,
      MultimodalIndexWriter writer,
      Consumer<String> problems)
      throws IOException {
    List<ManifestEntry> readable = new ArrayList<>(batch.size());
    List<byte[]> bytes = new ArrayList<>(batch.size());
    List<String> names = new ArrayList<>(batch.size());
    for (ManifestEntry entry : batch) {
      try {
        bytes.add(Files.readAllBytes(entry.image()));
        readable.add(entry);
        names.add(entry.id() + " (" + entry.image() + ")");
      } catch (IOException e) {
        problems.accept(entry.location() + ": id " + entry.id() + ": cannot read image: " + e);
      }
    }
    batch.clear();
    if (readable.isEmpty()) {
      return 0;
    }
    List<EncodingResult> vectors = encoder.encodeEach(bytes, names);
    List<EncodingResult> captionVectors =
        captionEncoder == null
            ? null
            : captionEncoder.encodeEach(readable.stream().map(ManifestEntry::caption).toList());
    List<ImageDocument> documents = new ArrayList<>(readable.size());
    for (int i = 0; i < readable.size(); i++) {
      ManifestEntry entry = readable.get(i);
      EncodingResult result = vectors.get(i);
      if (!result.ok()) {
        problems.accept(
            entry.location() + ": id " + entry.id() + ": " + result.error().getMessage());
        continue;
      }
      ImageDocument.Builder doc =
          ImageDocument.builder(entry.id())
              .uri(entry.image().toString())
              .keywords(entry.keywords())
              .imageVector(result.vector());
      if (!entry.caption().isEmpty()) {
        doc.caption(entry.caption());
      }
      if (captionVectors != null) {
        if (captionVectors.get(i).ok()) {
          doc.captionVector(captionVectors.get(i).vector());
        } else {
          problems.accept(
              entry.location()
                  + ": id "
                  + entry.id()
                  + ": no caption vector: "
                  + captionVectors.get(i).error().getMessage());
        }
      }
      if (entry.className() != null && !entry.className().isEmpty()) {
        doc.className(entry.className());
      }
      if (entry.subclass() != null && !entry.subclass().isEmpty()) {
        doc.subclass(entry.subclass());
      }
      documents.add(doc.build());
    }
    IndexingReport report = writer.upsertAll(documents);
    for (IndexingReport.Rejection r : report.rejected()) {
      problems.accept("id " + r.documentId() + ": rejected by the index: " + r.reason());
    }
    return report.indexed();
  }
}
