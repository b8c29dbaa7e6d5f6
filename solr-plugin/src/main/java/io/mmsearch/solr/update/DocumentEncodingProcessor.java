package io.mmsearch.solr.update;

import java.io.IOException;
import org.apache.solr.update.AddUpdateCommand;
import org.apache.solr.update.processor.UpdateRequestProcessor;

/**
 * {@code onError=document}: encodes each document as it arrives; a bad one is rejected on its own
 * (with {@code TolerantUpdateProcessorFactory} ahead in the chain, the others go on).
 */
final class DocumentEncodingProcessor extends UpdateRequestProcessor {
  private final DocumentEncoder encoder;

  DocumentEncodingProcessor(DocumentEncoder encoder, UpdateRequestProcessor next) {
    super(next);
    this.encoder = encoder;
  }

  @Override
  public void processAdd(AddUpdateCommand cmd) throws IOException {
    ImageInput input = encoder.read(cmd.getSolrInputDocument());
    if (input != null) {
      encoder.encodeInto(cmd.getSolrInputDocument(), input);
    }
    super.processAdd(cmd);
  }
}
