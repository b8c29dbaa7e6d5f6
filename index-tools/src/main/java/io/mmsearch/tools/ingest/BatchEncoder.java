package io.mmsearch.tools.ingest;

import static io.mmsearch.tools.ingest.IndexingPipeline.STAGE_DECODE;
import static io.mmsearch.tools.ingest.IndexingPipeline.STAGE_ENCODE;
import static io.mmsearch.tools.ingest.IndexingPipeline.STAGE_VALIDATE;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.InvalidDocumentException;
import io.mmsearch.tools.ingest.ItemPreparer.Prepared;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The model step of indexing: a batch of prepared items becomes documents, with one model call for
 * the images and one for the captions. If a call fails as a whole, each item is encoded alone, so
 * one bad item never costs the others. An image that cannot be decoded or encoded rejects its item;
 * a caption that cannot be encoded (no words, say) leaves its image indexed without a caption
 * vector, counted and reported. Thread-safe (the encoders are).
 */
final class BatchEncoder {

  /** A document for the writer, with what the summary needs to count it. */
  record Pending(ImageDocument document, boolean existed, String itemName) {}

  private final DualEncoder encoders;
  private final boolean captionVectors;
  private final IngestCounters counters;

  BatchEncoder(DualEncoder encoders, boolean captionVectors, IngestCounters counters) {
    this.encoders = encoders;
    this.captionVectors = captionVectors;
    this.counters = counters;
  }

  /** The documents of the items whose image encoded; the others are reported. */
  List<Pending> encode(List<Prepared> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    List<byte[]> images = new ArrayList<>(batch.size());
    List<String> names = new ArrayList<>(batch.size());
    for (Prepared p : batch) {
      images.add(p.bytes());
      names.add(p.item().itemName());
    }
    List<EncodingResult> imageVectors =
        eachAlone(
            images,
            all -> encoders.image().encodeEach(all, names),
            i -> encoders.image().encode(images.get(i), names.get(i)));
    List<EncodingResult> captionVectorsOut = encodeCaptions(batch);
    List<Pending> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Prepared p = batch.get(i);
      EncodingResult r = imageVectors.get(i);
      if (!r.ok()) {
        String stage = r.error() instanceof ImageDecodingException ? STAGE_DECODE : STAGE_ENCODE;
        String reason =
            r.error() instanceof ImageDecodingException d ? d.reason() : r.error().getMessage();
        counters.reject(p.item().itemName(), stage, reason);
        continue;
      }
      try {
        ImageDocument.Builder doc =
            ImageDocument.builder(p.fields())
                .imageVector(r.vector())
                .contentHash(p.hash())
                .size(p.header().width(), p.header().height())
                .mime(p.mime());
        EncodingResult caption = captionVectorsOut.get(i);
        if (caption != null && caption.ok()) {
          doc.captionVector(caption.vector());
        } else if (caption != null) {
          counters.withoutCaptionVector(
              p.item().itemName(),
              "the caption cannot be encoded ("
                  + caption.error().getMessage()
                  + "); the image is indexed without a caption vector");
        }
        out.add(new Pending(doc.build(), p.existed(), p.item().itemName()));
      } catch (InvalidDocumentException e) {
        counters.reject(p.item().itemName(), STAGE_VALIDATE, e.reason());
      }
    }
    return out;
  }

  /**
   * Caption vectors per item: null where there is no caption (or caption vectors are off), else the
   * result of encoding it.
   */
  private List<EncodingResult> encodeCaptions(List<Prepared> batch) {
    List<EncodingResult> out = new ArrayList<>(batch.size());
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
    List<EncodingResult> results =
        eachAlone(texts, encoders.text()::encodeEach, i -> encoders.text().encode(texts.get(i)));
    for (int j = 0; j < results.size(); j++) {
      out.set(slots.get(j), results.get(j));
    }
    return out;
  }

  /**
   * One model call for all items; if the call itself fails, each item alone, so that the failure
   * lands on the items that cause it.
   */
  private static <T> List<EncodingResult> eachAlone(
      List<T> items, Function<List<T>, List<EncodingResult>> all, Function<Integer, float[]> one) {
    try {
      return all.apply(items);
    } catch (EncodingException batchFailure) {
      List<EncodingResult> results = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        try {
          results.add(EncodingResult.of(one.apply(i)));
        } catch (EncodingException e) {
          results.add(EncodingResult.failed(e));
        }
      }
      return results;
    }
  }
}
