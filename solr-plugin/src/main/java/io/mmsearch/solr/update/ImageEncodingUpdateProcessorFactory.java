package io.mmsearch.solr.update;

import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.solr.config.PluginArgs;
import io.mmsearch.solr.model.ModelGuard;
import io.mmsearch.solr.model.ModelSettings;
import io.mmsearch.solr.model.NodeModels;
import io.mmsearch.solr.model.SharedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.SolrCore;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.SolrQueryResponse;
import org.apache.solr.update.processor.UpdateRequestProcessor;
import org.apache.solr.update.processor.UpdateRequestProcessorFactory;
import org.apache.solr.util.plugin.SolrCoreAware;

/**
 * Encodes each document's image (and optionally its caption) into vectors with the node's mmsearch
 * model bundle, before the document is distributed: place it before {@code
 * DistributedUpdateProcessorFactory}, so each document is encoded once, on the node that received
 * it, and leaders and replicas receive the finished vector.
 *
 * <pre>{@code
 * <updateRequestProcessorChain name="mmsearch" default="true">
 *   <processor class="solr.TolerantUpdateProcessorFactory"><int name="maxErrors">-1</int></processor>
 *   <processor class="io.mmsearch.solr.update.ImageEncodingUpdateProcessorFactory">
 *     <str name="bundle">${mmsearch.bundle:mmsearch/bundle}</str>
 *     <str name="imageRoot">${mmsearch.image.root:}</str>
 *     <str name="onError">document</str>
 *   </processor>
 *   <processor class="solr.DistributedUpdateProcessorFactory"/>
 *   <processor class="solr.RunUpdateProcessorFactory"/>
 * </updateRequestProcessorChain>
 * }</pre>
 *
 * <h2>Input</h2>
 *
 * A document gives its image either as the bytes of an image file in {@code imageField} (default
 * {@code image}: {@code byte[]} from SolrJ, base64 or URL-safe base64 text from JSON) or as a path
 * in {@code imagePathField} (default {@code image_path}) to a file under {@code imageRoot}; paths
 * outside the root are refused, and without a root, paths are refused altogether. A path must name
 * a regular file (a named pipe, device or socket is refused before it is opened) of at most {@code
 * maxImageBytes} (default 256 MiB; a larger file is refused unread, one growing while it is read at
 * the budget). Both input fields are removed; the image bytes are never stored. A document without
 * an image but with a vector already in {@code vectorField} passes through unchanged (its vector
 * was computed by the client).
 *
 * <h2>Output</h2>
 *
 * {@code vectorField} (default {@code image_vec}) gets the image vector; {@code uriField} (default
 * {@code uri}) the path, if the document has no uri; {@code content_hash} (SHA-256 of the bytes),
 * {@code mime}, {@code width} and {@code height} if the schema has those fields and the document
 * not; with {@code captionVectorField} set, that field gets the vector of the first {@code
 * captionField} value.
 *
 * <h2>Errors</h2>
 *
 * A document whose image is missing, unreadable, outside the root, not an image, truncated or
 * undecodable is rejected with a {@link DocumentRejectedException} naming its id, the field and the
 * reason; nothing of it is written. {@code onError} says what else happens:
 *
 * <ul>
 *   <li>{@code document} (default): only that document is rejected. Put {@code
 *       TolerantUpdateProcessorFactory} first in the chain and the other documents of the request
 *       are indexed, the rejected ones listed in the response header's {@code errors}; without it,
 *       Solr fails the request at the first bad document (the ones before it are indexed).
 *   <li>{@code batch}: the request's documents are collected and encoded together (one model call
 *       per {@value #BATCH} images, which is also faster); if any of them fails, none is indexed
 *       and the error lists every failed document. A delete or commit inside the request closes a
 *       batch.
 * </ul>
 *
 * <p>The bundle is loaded once per node and shared by all its cores ({@link NodeModels}); the core
 * refuses to load if the collection was built with another bundle ({@link ModelGuard}).
 */
public class ImageEncodingUpdateProcessorFactory extends UpdateRequestProcessorFactory
    implements SolrCoreAware {

  /** Images per model call in {@code batch} mode. */
  public static final int BATCH = 32;

  /** What a bad document rejects. */
  public enum OnError {
    DOCUMENT,
    BATCH
  }

  private ModelSettings modelSettings;
  private DocumentEncoder.Config config;
  private String imageRootSetting;
  private OnError onError;
  private volatile DocumentEncoder encoder;

  @Override
  public void init(NamedList<?> args) {
    modelSettings = ModelSettings.from(args);
    String imageField = PluginArgs.string(args, "imageField", "image");
    String imagePathField = PluginArgs.string(args, "imagePathField", "image_path");
    String vectorField = PluginArgs.string(args, "vectorField", "image_vec");
    String uriField = PluginArgs.string(args, "uriField", "uri");
    String captionField = PluginArgs.string(args, "captionField", "caption");
    String captionVectorField = PluginArgs.string(args, "captionVectorField", null);
    String maxImageBytes =
        PluginArgs.string(args, "maxImageBytes", Long.toString(ImageFileReader.DEFAULT_MAX_BYTES));
    imageRootSetting = PluginArgs.string(args, "imageRoot", null);
    String policy = PluginArgs.string(args, "onError", "document");
    try {
      onError = OnError.valueOf(policy.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR,
          "mmsearch: onError must be 'document' or 'batch', got '" + policy + "'");
    }
    long maxBytes;
    try {
      maxBytes = Long.parseLong(maxImageBytes);
    } catch (NumberFormatException e) {
      maxBytes = -1;
    }
    if (maxBytes < 0 || maxBytes > ImageFileReader.LARGEST_MAX_BYTES) {
      throw new SolrException(
          ErrorCode.SERVER_ERROR,
          "mmsearch: maxImageBytes must be a number of bytes from 0 to "
              + ImageFileReader.LARGEST_MAX_BYTES
              + ", got '"
              + maxImageBytes
              + "'");
    }
    config =
        new DocumentEncoder.Config(
            imageField,
            imagePathField,
            vectorField,
            uriField,
            captionField,
            captionVectorField,
            maxBytes);
    super.init(args);
  }

  @Override
  public void inform(SolrCore core) {
    Path solrHome = Path.of(core.getCoreContainer().getSolrHome());
    SharedModel model = NodeModels.forCore(core, modelSettings);
    List<String> vectorFields = new ArrayList<>(List.of(config.vectorField()));
    if (config.captionVectorField() != null) {
      vectorFields.add(config.captionVectorField());
    }
    ModelGuard.check(
        core, model, modelSettings.pinnedFingerprint(), vectorFields.toArray(String[]::new));
    ImageRoot root = null;
    if (imageRootSetting != null) {
      try {
        root = new ImageRoot(solrHome.resolve(imageRootSetting));
      } catch (IOException e) {
        throw new UncheckedIOException("mmsearch: imageRoot " + imageRootSetting, e);
      }
    }
    encoder = new DocumentEncoder(config, model, root, core.getLatestSchema());
  }

  @Override
  public UpdateRequestProcessor getInstance(
      SolrQueryRequest req, SolrQueryResponse rsp, UpdateRequestProcessor next) {
    DocumentEncoder e = encoder;
    if (e == null) {
      throw new SolrException(ErrorCode.SERVICE_UNAVAILABLE, "mmsearch: model not loaded yet");
    }
    return onError == OnError.BATCH
        ? new BatchEncodingProcessor(e, req, next)
        : new DocumentEncodingProcessor(e, next);
  }
}
