package io.mmsearch.lucene.recall;

import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.recall.RecallCalibrator;
import io.mmsearch.semantics.recall.TextQueries;
import java.util.List;
import java.util.Objects;

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
   */
  public IndexCalibration withCaptionEncoder(
      java.util.function.Function<List<String>, List<float[]>> encoder) {
    return new IndexCalibration(
        fields,
        settings,
        TextQueries.firstOf(
            TextQueries.encodedCaptions(ImageSchema.CAPTION, encoder),
            TextQueries.storedVectors(ImageSchema.CAPTION_VECTOR)));
  }

  public IndexCalibration withSettings(RecallCalibrator.Settings s) {
    return new IndexCalibration(fields, s, textQueries);
  }
}
