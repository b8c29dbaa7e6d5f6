package io.mmsearch.tools.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.recall.LuceneCalibrationIndex;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.recall.RecallCalibration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A summary of an mmsearch index at its last commit. Immutable.
 *
 * @param documents live documents
 * @param deletedDocuments deleted documents not yet merged away
 * @param classes live documents per class, by count descending then name
 * @param vectorFields per vector field: the Lucene format name per segment (usually one), the
 *     dimension and the similarity
 * @param model the model identity recorded in the commit, if any
 * @param bytesOnDisk total size of the index files (those of the last commit and any other file in
 *     the folder, such as the error report)
 * @param segments number of segments
 * @param commitGeneration the generation of the last commit
 * @param recall per vector field, the recall calibration the last commit holds, if any
 */
public record IndexStats(
    long documents,
    long deletedDocuments,
    Map<String, Long> classes,
    Map<String, VectorField> vectorFields,
    Optional<ModelIdentity> model,
    long bytesOnDisk,
    int segments,
    long commitGeneration,
    Map<String, StoredCalibration> recall) {

  /**
   * A recall calibration stored in the commit.
   *
   * @param calibration the calibration
   * @param current whether it describes the commit's own segment layout (false: an earlier layout,
   *     a flush or merge later; searchers measure the new one themselves)
   */
  public record StoredCalibration(RecallCalibration calibration, boolean current) {}

  /**
   * One vector field.
   *
   * @param formats Lucene vector format names used by the segments
   * @param dimension vector dimension
   * @param similarity similarity function name
   * @param documents documents with a vector in this field (including deleted ones)
   */
  public record VectorField(
      List<String> formats, int dimension, String similarity, long documents) {
    public VectorField {
      formats = List.copyOf(formats);
    }
  }

  public IndexStats {
    classes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(classes));
    vectorFields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vectorFields));
    recall = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(recall));
  }

  /**
   * Reads the stats of the index in {@code indexDir}.
   *
   * @throws IndexNotFoundException if there is no index there
   */
  public static IndexStats read(Path indexDir) throws IOException {
    try (Directory dir = FSDirectory.open(indexDir);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      Map<String, Long> classes = classCounts(reader);
      Map<String, List<String>> formats = new TreeMap<>();
      Map<String, FieldInfo> infos = new TreeMap<>();
      Map<String, Long> vectorDocs = new TreeMap<>();
      for (LeafReaderContext leaf : reader.leaves()) {
        for (FieldInfo fi : leaf.reader().getFieldInfos()) {
          if (fi.getVectorDimension() > 0) {
            String format = fi.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY);
            List<String> list = formats.computeIfAbsent(fi.name, f -> new ArrayList<>());
            if (format != null && !list.contains(format)) {
              list.add(format);
            }
            infos.putIfAbsent(fi.name, fi);
            var values = leaf.reader().getFloatVectorValues(fi.name);
            vectorDocs.merge(fi.name, values == null ? 0L : values.size(), Long::sum);
          }
        }
      }
      Map<String, VectorField> vectorFields = new LinkedHashMap<>();
      for (Map.Entry<String, FieldInfo> e : infos.entrySet()) {
        FieldInfo fi = e.getValue();
        vectorFields.put(
            e.getKey(),
            new VectorField(
                formats.get(e.getKey()),
                fi.getVectorDimension(),
                fi.getVectorSimilarityFunction().name(),
                vectorDocs.get(e.getKey())));
      }
      long bytes = 0;
      for (String file : dir.listAll()) {
        try {
          bytes += dir.fileLength(file);
        } catch (IOException e) {
          // A file deleted between listing and sizing (a concurrent merge): it no longer counts.
        }
      }
      Map<String, String> userData = reader.getIndexCommit().getUserData();
      Map<String, StoredCalibration> recall = new LinkedHashMap<>();
      for (String field : vectorFields.keySet()) {
        try {
          RecallCalibration.fromUserData(userData, field)
              .ifPresent(
                  c ->
                      recall.put(
                          field,
                          new StoredCalibration(
                              c,
                              c.layout().equals(LuceneCalibrationIndex.layoutOf(reader, field)))));
        } catch (IllegalArgumentException unreadable) {
          // A calibration this version cannot read is as good as none: searchers measure anew.
        }
      }
      return new IndexStats(
          reader.numDocs(),
          reader.numDeletedDocs(),
          classes,
          vectorFields,
          ModelIdentity.fromEntries(userData, "commit user data"),
          bytes,
          reader.leaves().size(),
          reader.getIndexCommit().getGeneration(),
          recall);
    }
  }

  private static Map<String, Long> classCounts(DirectoryReader reader) throws IOException {
    Map<String, Long> out = new LinkedHashMap<>();
    DefaultSortedSetDocValuesReaderState state;
    try {
      state = new DefaultSortedSetDocValuesReaderState(reader, ImageSchema.facetsConfig());
    } catch (IllegalArgumentException noFacetField) {
      return out; // no document has a class
    }
    var range = state.getOrdRange(ImageSchema.CLASS);
    if (range == null) {
      return out;
    }
    // Counting without a collector counts every live document.
    FacetResult result =
        new SortedSetDocValuesFacetCounts(state)
            .getTopChildren(range.end() - range.start() + 1, ImageSchema.CLASS);
    if (result != null) {
      for (LabelAndValue lv : result.labelValues) {
        out.put(lv.label, lv.value.longValue());
      }
    }
    return out;
  }

  /** The stats as one JSON object (the {@code --json} output of {@code mmsearch stats}). */
  public ObjectNode toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("documents", documents);
    o.put("deleted_documents", deletedDocuments);
    ObjectNode cls = o.putObject("classes");
    classes.forEach(cls::put);
    ObjectNode vf = o.putObject("vector_fields");
    vectorFields.forEach(
        (name, f) -> {
          ObjectNode n = vf.putObject(name);
          n.put("dimension", f.dimension());
          n.put("similarity", f.similarity());
          n.put("documents", f.documents());
          f.formats().forEach(n.putArray("formats")::add);
        });
    o.put("fingerprint", model.map(ModelIdentity::fingerprint).orElse(null));
    if (model.isPresent()) {
      o.put("dimension", model.get().dimension());
    }
    o.put("bytes_on_disk", bytesOnDisk);
    o.put("segments", segments);
    o.put("commit_generation", commitGeneration);
    ObjectNode r = o.putObject("recall");
    recall.forEach((field, c) -> r.set(field, CalibrationJson.of(c.calibration(), c.current())));
    return o;
  }
}
