package io.mmsearch.lucene.recall;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.recall.RecallCalibrator;
import io.mmsearch.semantics.recall.TextQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How an mmsearch index measures its own recall: which vector fields, with which {@link
 * RecallCalibrator.Settings}, and where its text-like queries come from. The writer ({@code
 * MultimodalIndexWriter.calibrate}) and the searcher (which measures a reader no commit describes)
 * use the same one.
 *
 * @param fields the vector fields calibrated
 * @param settings how each is measured
 * @param textQueries where text-like queries come from
 */
public record IndexCalibration(
    List<String> fields, RecallCalibrator.Settings settings, TextQueries textQueries) {

  public IndexCalibration {
    fields = List.copyOf(fields);
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(textQueries, "textQueries");
  }

  /**
   * {@code image_vec} with the default settings; text queries from the index's own {@code
   * caption_vec} vectors where it has them (an index built with caption vectors), else none.
   */
  public static IndexCalibration defaults() {
    return new IndexCalibration(
        List.of(ImageSchema.IMAGE_VECTOR),
        RecallCalibrator.Settings.defaults(),
        TextQueries.storedVectors(ImageSchema.CAPTION_VECTOR));
  }

  /**
   * The same, with text queries embedded from the index's stored captions by a text encoder (the
   * best source: what people type is caption-like), falling back to {@code caption_vec}.
   *
   * @param encoder embeds a batch of captions, returning the vectors of those it can encode (a
   *     caption with no words, say, is left out: it was indexed without a caption vector and must
   *     not end the calibration, nor the run that asked for it); thread-safe
   */
  public IndexCalibration withCaptionEncoder(Function<List<String>, List<float[]>> encoder) {
    return new IndexCalibration(
        fields,
        settings,
        TextQueries.firstOf(
            TextQueries.encodedCaptions(ImageSchema.CAPTION, encoder),
            TextQueries.storedVectors(ImageSchema.CAPTION_VECTOR)));
  }

  /**
   * {@link #withCaptionEncoder(Function)} with a model's text encoder, in batches; the captions it
   * refuses are left out.
   *
   * @param encoder the model's text encoder (thread-safe; not closed here)
   */
  public IndexCalibration withCaptionEncoder(TextEncoder encoder) {
    return withCaptionEncoder(
        texts -> {
          List<float[]> vectors = new ArrayList<>(texts.size());
          for (EncodingResult r : encoder.encodeEach(texts)) {
            if (r.ok()) {
              vectors.add(r.vector());
            }
          }
          return vectors;
        });
  }

  public IndexCalibration withSettings(RecallCalibrator.Settings s) {
    return new IndexCalibration(fields, s, textQueries);
  }
}
