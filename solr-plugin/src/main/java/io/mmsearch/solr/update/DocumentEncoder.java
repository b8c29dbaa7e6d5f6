package io.mmsearch.solr.update;

import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.error.UnencodableInputException;
import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.encoders.image.ImageHeader;
import io.mmsearch.encoders.image.RefusedFileException;
import io.mmsearch.solr.model.SharedModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.SolrInputField;
import org.apache.solr.schema.IndexSchema;

/**
 * Turns a document's image input into its vector fields; the part of ingest shared by both error
 * policies. Thread-safe: holds only immutable configuration and the shared model.
 */
final class DocumentEncoder {
  static final String CONTENT_HASH = "content_hash";
  static final String MIME = "mime";
  static final String WIDTH = "width";
  static final String HEIGHT = "height";

  /**
   * Field names, as configured on the factory, and the largest image file read from {@code
   * imagePathField}.
   */
  record Config(
      String imageField,
      String imagePathField,
      String vectorField,
      String uriField,
      String captionField,
      String captionVectorField,
      long maxImageBytes) {}

  private final Config config;
  private final SharedModel model;
  private final ImageRoot root;
  private final ImageFileReader imageFiles;
  private final IndexSchema schema;

  DocumentEncoder(Config config, SharedModel model, ImageRoot root, IndexSchema schema) {
    this.config = config;
    this.model = model;
    this.root = root;
    this.imageFiles = new ImageFileReader(config.maxImageBytes());
    this.schema = schema;
  }

  SharedModel model() {
    return model;
  }

  /** The printable id of a document, for messages. */
  String idOf(SolrInputDocument doc) {
    String key = schema.getUniqueKeyField() == null ? null : schema.getUniqueKeyField().getName();
    Object id = key == null ? null : doc.getFieldValue(key);
    return id == null ? "(no id)" : id.toString();
  }

  /**
   * The document's image, or null if it has none but carries a vector already.
   *
   * @throws DocumentRejectedException if the image is missing, given twice, malformed, outside the
   *     image root or unreadable
   */
  ImageInput read(SolrInputDocument doc) {
    String id = idOf(doc);
    SolrInputField bytesField = doc.getField(config.imageField());
    SolrInputField pathField = doc.getField(config.imagePathField());
    if (bytesField != null && pathField != null) {
      throw new DocumentRejectedException(
          id,
          config.imageField(),
          "give the image either as bytes in '"
              + config.imageField()
              + "' or as a path in '"
              + config.imagePathField()
              + "', not both");
    }
    if (bytesField == null && pathField == null) {
      if (doc.getField(config.vectorField()) != null) {
        return null;
      }
      throw new DocumentRejectedException(
          id,
          config.imageField(),
          "no image: set '"
              + config.imageField()
              + "' (image file bytes, or base64 text) or '"
              + config.imagePathField()
              + "' (a path under the image root)");
    }
    if (bytesField != null) {
      return new ImageInput(config.imageField(), "bytes", bytes(id, bytesField), null);
    }
    String path = single(id, pathField).toString();
    if (root == null) {
      throw new DocumentRejectedException(
          id,
          config.imagePathField(),
          "image paths are not accepted: no imageRoot is configured on this collection");
    }
    Path file;
    try {
      file = root.resolve(path);
    } catch (IllegalArgumentException e) {
      throw new DocumentRejectedException(
          id, config.imagePathField(), path + ": " + e.getMessage());
    }
    try {
      return new ImageInput(config.imagePathField(), path, imageFiles.read(file), path);
    } catch (RefusedFileException e) {
      throw new DocumentRejectedException(id, config.imagePathField(), path + ": " + e.reason());
    } catch (IOException e) {
      throw new DocumentRejectedException(
          id, config.imagePathField(), path + ": cannot read: " + e.getMessage());
    }
  }

  private byte[] bytes(String id, SolrInputField field) {
    Object v = single(id, field);
    if (v instanceof byte[] b) {
      return b;
    }
    if (v instanceof ByteBuffer bb) {
      ByteBuffer copy = bb.duplicate();
      byte[] b = new byte[copy.remaining()];
      copy.get(b);
      return b;
    }
    if (v instanceof CharSequence text) {
      String s = text.toString().strip();
      try {
        // Accept standard and URL-safe base64, with or without padding and line breaks.
        return Base64.getMimeDecoder().decode(s.replace('-', '+').replace('_', '/'));
      } catch (IllegalArgumentException e) {
        throw new DocumentRejectedException(
            id, field.getName(), "not valid base64 image bytes: " + e.getMessage());
      }
    }
    throw new DocumentRejectedException(
        id, field.getName(), "expected image bytes or base64 text, got " + v.getClass().getName());
  }

  private static Object single(String id, SolrInputField field) {
    Collection<Object> values = field.getValues();
    if (values == null || values.isEmpty() || field.getValue() == null) {
      throw new DocumentRejectedException(id, field.getName(), "is empty");
    }
    if (values.size() > 1) {
      throw new DocumentRejectedException(
          id, field.getName(), "has " + values.size() + " values; give one image per document");
    }
    return values.iterator().next();
  }

  /**
   * Encodes {@code input} and writes the document's vector and metadata fields.
   *
   * @throws DocumentRejectedException if the image cannot be decoded or encoded
   */
  void encodeInto(SolrInputDocument doc, ImageInput input) {
    String id = idOf(doc);
    float[] vector;
    try {
      vector = model.encodeImage(input.bytes(), input.label());
    } catch (EncodingException e) {
      throw failure(id, input.field(), e);
    }
    apply(doc, input, vector);
  }

  /** Writes the vector and metadata of an image encoded elsewhere (a batch). */
  void apply(SolrInputDocument doc, ImageInput input, float[] vector) {
    String id = idOf(doc);
    ImageHeader header;
    try {
      header = model.readHeader(input.bytes(), input.label());
    } catch (EncodingException e) {
      throw new DocumentRejectedException(id, input.field(), e.getMessage());
    }
    float[] captionVector = null;
    if (config.captionVectorField() != null) {
      Object caption = doc.getFieldValue(config.captionField());
      if (caption != null && !caption.toString().isBlank()) {
        try {
          captionVector = model.encodeText(caption.toString());
        } catch (EncodingException e) {
          throw failure(id, config.captionField(), e);
        }
      }
    }
    doc.removeField(config.imageField());
    doc.removeField(config.imagePathField());
    doc.setField(config.vectorField(), toList(vector));
    if (captionVector != null) {
      doc.setField(config.captionVectorField(), toList(captionVector));
    }
    if (input.path() != null) {
      setIfAbsent(doc, config.uriField(), input.path());
    }
    setIfAbsent(doc, CONTENT_HASH, sha256(input.bytes()));
    setIfAbsent(doc, MIME, header.mimeType());
    setIfAbsent(doc, WIDTH, header.width());
    setIfAbsent(doc, HEIGHT, header.height());
  }

  /**
   * The error for an input the encoder refused: the document's fault (400) if the input cannot be
   * encoded, the server's (500) if the engine or model failed.
   */
  static SolrException failure(String id, String field, EncodingException e) {
    if (e instanceof UnencodableInputException) {
      return new DocumentRejectedException(id, field, e.getMessage());
    }
    return new SolrException(
        SolrException.ErrorCode.SERVER_ERROR,
        "document '" + id + "': field '" + field + "': the model failed: " + e.getMessage(),
        e);
  }

  private void setIfAbsent(SolrInputDocument doc, String field, Object value) {
    if (value != null && doc.getField(field) == null && schema.getFieldOrNull(field) != null) {
      doc.setField(field, value);
    }
  }

  static List<Float> toList(float[] v) {
    List<Float> list = new ArrayList<>(v.length);
    for (float f : v) {
      list.add(f);
    }
    return list;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
