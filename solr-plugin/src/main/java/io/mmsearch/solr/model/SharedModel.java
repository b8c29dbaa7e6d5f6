package io.mmsearch.solr.model;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.encoders.image.ImageHeader;
import io.mmsearch.encoders.image.ImagePreprocessor;
import java.nio.file.Path;
import java.util.List;

/**
 * One loaded model bundle, shared by every core of a node that names the same bundle directory and
 * engine (see {@link NodeModels}). Thread-safe.
 */
public final class SharedModel {
  private final Path directory;
  private final DualEncoder encoders;
  private final ModelIdentity identity;
  private final ImagePreprocessor headerReader;

  SharedModel(Path directory, DualEncoder encoders) {
    this.directory = directory;
    this.encoders = encoders;
    this.identity = ModelIdentity.of(encoders.bundle());
    this.headerReader = new ImagePreprocessor(encoders.bundle().imageSpec());
  }

  /** The bundle directory this model was loaded from. */
  public Path directory() {
    return directory;
  }

  /** Fingerprint and dimension of the bundle. */
  public ModelIdentity identity() {
    return identity;
  }

  /**
   * Encodes one image.
   *
   * @throws io.mmsearch.encoders.error.EncodingException naming {@code itemName} and the reason
   */
  public float[] encodeImage(byte[] image, String itemName) {
    return encoders.image().encode(image, itemName);
  }

  /** Encodes several images in one model call; one result per image, errors in their slot. */
  public List<EncodingResult> encodeImages(List<byte[]> images, List<String> itemNames) {
    return encoders.image().encodeEach(images, itemNames);
  }

  /**
   * Encodes one text.
   *
   * @throws io.mmsearch.encoders.error.EncodingException if the text has no words
   */
  public float[] encodeText(String text) {
    return encoders.text().encode(text);
  }

  /** Format, media type and size of an image, read from its header only. */
  public ImageHeader readHeader(byte[] image, String itemName) {
    return headerReader.readHeader(image, itemName);
  }

  void close() {
    encoders.close();
  }

  @Override
  public String toString() {
    return "SharedModel[" + identity + " from " + directory + "]";
  }
}
