package io.mmsearch.solr.update;

import io.mmsearch.encoders.EncodingResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.update.AddUpdateCommand;
import org.apache.solr.update.CommitUpdateCommand;
import org.apache.solr.update.DeleteUpdateCommand;
import org.apache.solr.update.MergeIndexesCommand;
import org.apache.solr.update.RollbackUpdateCommand;
import org.apache.solr.update.processor.UpdateRequestProcessor;

/**
 * {@code onError=batch}: holds the request's documents, encodes them in model calls of {@link
 * ImageEncodingUpdateProcessorFactory#BATCH} images, and passes them on only if every one of them
 * succeeded; otherwise none is passed on and the error lists each failed document. A delete,
 * commit, merge or rollback in the request first settles the documents before it, so the order of
 * commands is kept.
 */
final class BatchEncodingProcessor extends UpdateRequestProcessor {
  private final DocumentEncoder encoder;
  private final SolrQueryRequest req;
  private final List<AddUpdateCommand> pending = new ArrayList<>();

  BatchEncodingProcessor(
      DocumentEncoder encoder, SolrQueryRequest req, UpdateRequestProcessor next) {
    super(next);
    this.encoder = encoder;
    this.req = req;
  }

  @Override
  public void processAdd(AddUpdateCommand cmd) {
    // Loaders may reuse the command object for the next document: keep a copy.
    AddUpdateCommand copy = new AddUpdateCommand(req);
    copy.solrDoc = cmd.solrDoc;
    copy.overwrite = cmd.overwrite;
    copy.commitWithin = cmd.commitWithin;
    copy.prevVersion = cmd.prevVersion;
    copy.updateTerm = cmd.updateTerm;
    copy.setFlags(cmd.getFlags());
    copy.setVersion(cmd.getVersion());
    copy.setRoute(cmd.getRoute());
    pending.add(copy);
  }

  @Override
  public void processDelete(DeleteUpdateCommand cmd) throws IOException {
    flush();
    super.processDelete(cmd);
  }

  @Override
  public void processCommit(CommitUpdateCommand cmd) throws IOException {
    flush();
    super.processCommit(cmd);
  }

  @Override
  public void processMergeIndexes(MergeIndexesCommand cmd) throws IOException {
    flush();
    super.processMergeIndexes(cmd);
  }

  @Override
  public void processRollback(RollbackUpdateCommand cmd) throws IOException {
    pending.clear();
    super.processRollback(cmd);
  }

  @Override
  public void finish() throws IOException {
    flush();
    super.finish();
  }

  private void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    List<AddUpdateCommand> batch = new ArrayList<>(pending);
    pending.clear();
    List<String> failures = new ArrayList<>();
    List<ImageInput> inputs = new ArrayList<>(batch.size());
    for (AddUpdateCommand cmd : batch) {
      try {
        inputs.add(encoder.read(cmd.solrDoc));
      } catch (DocumentRejectedException e) {
        inputs.add(null);
        failures.add(e.getMessage());
      }
    }
    List<float[]> vectors = new ArrayList<>(batch.size());
    for (int from = 0; from < batch.size(); from += ImageEncodingUpdateProcessorFactory.BATCH) {
      int to = Math.min(batch.size(), from + ImageEncodingUpdateProcessorFactory.BATCH);
      List<byte[]> images = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int i = from; i < to; i++) {
        if (inputs.get(i) != null) {
          images.add(inputs.get(i).bytes());
          names.add(inputs.get(i).label());
        }
      }
      List<EncodingResult> results =
          images.isEmpty() ? List.of() : encoder.model().encodeImages(images, names);
      int r = 0;
      for (int i = from; i < to; i++) {
        ImageInput input = inputs.get(i);
        if (input == null) {
          vectors.add(null);
          continue;
        }
        EncodingResult result = results.get(r++);
        if (result.ok()) {
          vectors.add(result.vector());
        } else {
          vectors.add(null);
          SolrException failure =
              DocumentEncoder.failure(
                  encoder.idOf(batch.get(i).solrDoc), input.field(), result.error());
          if (!(failure instanceof DocumentRejectedException)) {
            throw failure; // the model failed, not the document
          }
          failures.add(failure.getMessage());
        }
      }
    }
    if (failures.isEmpty()) {
      for (int i = 0; i < batch.size(); i++) {
        if (inputs.get(i) != null) {
          try {
            encoder.apply(batch.get(i).solrDoc, inputs.get(i), vectors.get(i));
          } catch (DocumentRejectedException e) {
            failures.add(e.getMessage());
          }
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new SolrException(
          ErrorCode.BAD_REQUEST,
          "mmsearch rejected the batch of "
              + batch.size()
              + " documents, none was indexed; "
              + failures.size()
              + " failed: "
              + String.join("; ", failures));
    }
    for (AddUpdateCommand cmd : batch) {
      super.processAdd(cmd);
    }
  }
}
