package io.mmsearch.tools.eval;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.image.ImageFileReader;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.semantics.Fusion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;

/**
 * Runs the text->image and image->image queries of a {@link QuerySet} against an index in each
 * requested {@link EvalMode} and averages their {@link QueryScores}. Immutable; build with {@link
 * #builder()}.
 *
 * <p>Each query is encoded once (text by the text encoder, an image by the image encoder) and that
 * vector is used by every vector mode, so modes differ only in how the index is searched. BM25
 * matches the query's {@link EvalQuery#words() words}. A mode that needs words is skipped, with a
 * note, for a task whose queries have none (bare image queries): it is not reported as zero. A
 * query whose text or image cannot be encoded is skipped in every mode and reported.
 */
public final class RetrievalEvaluation {
  private static final ImageFileReader IMAGE_FILES = ImageFileReader.withDefaultBudget();

  private final MultimodalSearcher searcher;
  private final DualEncoder encoder;
  private final IndexedImages index;
  private final Set<EvalMode> modes;
  private final int depth;
  private final Fusion rrf;
  private final Fusion linear;
  private final Consumer<String> notes;

  private RetrievalEvaluation(Builder b) {
    this.searcher = Objects.requireNonNull(b.searcher, "searcher");
    this.encoder = Objects.requireNonNull(b.encoder, "encoder");
    this.index = Objects.requireNonNull(b.index, "index");
    this.modes = Set.copyOf(b.modes);
    this.depth = b.depth;
    this.rrf = b.rrf;
    this.linear = b.linear;
    this.notes = b.notes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The outcome for one query set: result lines and the encoded query vectors. */
  public record Outcome(List<EvalLine> lines, List<float[]> queryVectors) {}

  /**
   * Evaluates a query set.
   *
   * @throws EvalInputException if a relevant id is not in the index (naming the queries and ids),
   *     or if no query of the set could be encoded
   */
  public Outcome run(QuerySet set) throws IOException {
    checkGroundTruth(set);
    Map<EvalTask, List<EvalQuery>> byTask = new EnumMap<>(EvalTask.class);
    Map<EvalQuery, float[]> vectors = new LinkedHashMap<>();
    for (EvalQuery q : set.queries()) {
      try {
        vectors.put(q, encode(q));
        byTask.computeIfAbsent(q.task(), t -> new ArrayList<>()).add(q);
      } catch (EncodingException | IOException e) {
        notes.accept(q.location() + ": query " + q.id() + " skipped: " + e.getMessage());
      }
    }
    if (vectors.isEmpty()) {
      throw new EvalInputException("no query of " + set.file() + " could be encoded");
    }
    String name = set.file().getFileName().toString();
    double chance = Math.min(10, index.size()) / (double) index.size();
    List<EvalLine> lines = new ArrayList<>();
    for (Map.Entry<EvalTask, List<EvalQuery>> task : byTask.entrySet()) {
      for (EvalMode mode : new TreeSet<>(modes)) {
        List<EvalQuery> queries = task.getValue();
        String skipped = null;
        if (mode.needsCaptionVectors() && task.getKey() != EvalTask.TEXT_TO_IMAGE) {
          skipped = "caption vectors are matched by text queries only";
        } else if (mode.needsWords() && queries.stream().anyMatch(q -> q.words().isEmpty())) {
          skipped = "its queries have no words for BM25";
        }
        if (skipped != null) {
          notes.accept(
              name
                  + ": "
                  + task.getKey().jsonName()
                  + " "
                  + mode.jsonName()
                  + " skipped: "
                  + skipped);
          continue;
        }
        List<QueryScores> scores = new ArrayList<>(queries.size());
        for (EvalQuery q : queries) {
          scores.add(QueryScores.of(ranking(q, vectors.get(q), mode), q.relevant()));
        }
        lines.add(
            EvalLine.retrieval(task.getKey(), mode, name, RetrievalFigures.mean(scores), chance));
      }
    }
    return new Outcome(lines, List.copyOf(vectors.values()));
  }

  private void checkGroundTruth(QuerySet set) {
    List<String> missing = new ArrayList<>();
    int queries = 0;
    for (EvalQuery q : set.queries()) {
      boolean any = false;
      for (String id : q.relevant()) {
        if (!index.contains(id)) {
          any = true;
          if (missing.size() < 5) {
            missing.add(q.id() + " -> " + id);
          }
        }
      }
      queries += any ? 1 : 0;
    }
    if (queries > 0) {
      throw new EvalInputException(
          queries
              + " quer"
              + (queries == 1 ? "y" : "ies")
              + " of "
              + set.file()
              + " name relevant ids that are not in the index (the figures would be silently too"
              + " low), e.g. "
              + String.join(", ", missing)
              + ". Index the documents the query set was made for.");
    }
  }

  private float[] encode(EvalQuery q) throws IOException {
    if (q.text() != null) {
      return encoder.text().encode(q.text());
    }
    return encoder.image().encode(IMAGE_FILES.read(q.image()), q.id());
  }

  private List<String> ranking(EvalQuery q, float[] vector, EvalMode mode) throws IOException {
    SearchRequest.Builder query = SearchRequest.builder().k(depth).size(depth).facets(false);
    switch (mode) {
      case VECTOR -> query.vector(vector);
      case BM25 -> query.keywords(q.words().orElseThrow());
      case RRF -> query.vector(vector).keywords(q.words().orElseThrow()).fusion(rrf);
      case LINEAR -> query.vector(vector).keywords(q.words().orElseThrow()).fusion(linear);
      case CAPTION -> query.vector(vector).vectorField(ImageSchema.CAPTION_VECTOR);
      case VECTOR_CAPTION -> {
        return fusedImageAndCaptionRanking(vector);
      }
    }
    List<String> ids = new ArrayList<>(depth);
    for (Hit hit : searcher.search(query.build()).hits()) {
      ids.add(hit.id());
    }
    return ids;
  }

  /**
   * The image-vector and caption-vector kNN lists fused by Lucene's {@link TopDocs#rrf}, with the
   * {@code rrf} mode's rank constant.
   */
  private List<String> fusedImageAndCaptionRanking(float[] vector) throws IOException {
    Map<Integer, String> idOf = new HashMap<>();
    TopDocs[] lists = new TopDocs[2];
    String[] fields = {ImageSchema.IMAGE_VECTOR, ImageSchema.CAPTION_VECTOR};
    for (int i = 0; i < fields.length; i++) {
      List<Hit> hits =
          searcher
              .search(
                  SearchRequest.builder()
                      .k(depth)
                      .size(depth)
                      .facets(false)
                      .vector(vector)
                      .vectorField(fields[i])
                      .build())
              .hits();
      ScoreDoc[] docs = new ScoreDoc[hits.size()];
      for (int h = 0; h < hits.size(); h++) {
        docs[h] = new ScoreDoc(hits.get(h).docId(), hits.get(h).score());
        idOf.put(hits.get(h).docId(), hits.get(h).id());
      }
      lists[i] = new TopDocs(new TotalHits(docs.length, TotalHits.Relation.EQUAL_TO), docs);
    }
    List<String> ids = new ArrayList<>(depth);
    int rankConstant =
        rrf instanceof Fusion.Rrf r ? r.rankConstant() : Fusion.Rrf.DEFAULT_RANK_CONSTANT;
    for (ScoreDoc d : TopDocs.rrf(depth, rankConstant, lists).scoreDocs) {
      ids.add(idOf.get(d.doc));
    }
    return ids;
  }

  /** Collects the settings of a {@link RetrievalEvaluation}. Not thread-safe. */
  public static final class Builder {
    private MultimodalSearcher searcher;
    private DualEncoder encoder;
    private IndexedImages index;
    private Set<EvalMode> modes =
        Set.of(EvalMode.VECTOR, EvalMode.BM25, EvalMode.RRF, EvalMode.LINEAR);
    private int depth = 100;
    private Fusion rrf = Fusion.rrf();
    private Fusion linear = Fusion.linear(0.5f, 0.5f);
    private Consumer<String> notes = s -> {};

    private Builder() {}

    /** The searcher over the evaluated index. Required; not closed. */
    public Builder searcher(MultimodalSearcher searcher) {
      this.searcher = searcher;
      return this;
    }

    /** The encoders of the index's model. Required; not closed. */
    public Builder encoder(DualEncoder encoder) {
      this.encoder = encoder;
      return this;
    }

    /** The documents of the index, for the ground-truth check and the chance level. Required. */
    public Builder index(IndexedImages index) {
      this.index = index;
      return this;
    }

    /** The modes to run; default all. */
    public Builder modes(Set<EvalMode> modes) {
      if (modes.isEmpty()) {
        throw new IllegalArgumentException("at least one mode is needed");
      }
      this.modes = Set.copyOf(modes);
      return this;
    }

    /** How many results each query reads (MRR counts a hit up to this rank); default 100. */
    public Builder depth(int depth) {
      if (depth < 10) {
        throw new IllegalArgumentException("depth must be >= 10 (Recall@10), got " + depth);
      }
      this.depth = depth;
      return this;
    }

    /** The fusion of the {@code rrf} mode; default RRF with rank constant 60. */
    public Builder rrf(Fusion rrf) {
      this.rrf = Objects.requireNonNull(rrf);
      return this;
    }

    /** The fusion of the {@code linear} mode; default weights 0.5 / 0.5. */
    public Builder linear(Fusion linear) {
      this.linear = Objects.requireNonNull(linear);
      return this;
    }

    /** Receives notes on skipped queries and modes. */
    public Builder notes(Consumer<String> notes) {
      this.notes = Objects.requireNonNull(notes);
      return this;
    }

    public RetrievalEvaluation build() {
      return new RetrievalEvaluation(this);
    }
  }
}
