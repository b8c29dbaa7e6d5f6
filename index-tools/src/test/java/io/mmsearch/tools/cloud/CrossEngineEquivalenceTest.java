package io.mmsearch.tools.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.encode.BundleQueryEncoder;
import io.mmsearch.lucene.index.MultimodalIndexConfig;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.schema.ImageDocument;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.search.FacetCount;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.SearchResults;
import io.mmsearch.manifest.ImageFields;
import io.mmsearch.manifest.ManifestEntry;
import io.mmsearch.semantics.Fusion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one query semantics, proven on both engines: the same documents (every 12th sample entry)
 * indexed embedded (Lucene 10, this JVM) and into a 2-node SolrCloud, collection of 2 shards x 2
 * replicas (Solr 9.10 / Lucene 9.12, each node a JVM of Solr's own jars with the plugin in its
 * {@code lib}, as {@code mmsearch cloud} runs it: Lucene 9 and 10 cannot share a class path), then
 * a seeded random set of requests (text, image, raw non-unit vectors, weighted mixes, like,
 * keywords, a class filter, RRF with constants and list weights, linear with weights, pages) run on
 * both with exact search (every document a candidate): the same ids in the same order, the same
 * scores within float tolerance, the same totals and class counts. The embedded index holds the
 * vectors the Solr nodes computed at ingest (read back with {@code [vector]}), so both search the
 * same vectors; documents go in in id order, so the embedded tie order (doc id) is the id order
 * Solr breaks ties by. With HNSW (the default candidates) each engine's recall@10 against its exact
 * answer is printed.
 */
class CrossEngineEquivalenceTest {
  static final String COLLECTION = "equivalence";
  static final long SEED = Long.getLong("mmsearch.equivalence.seed", 20261207L);
  static final int REQUESTS = 60;
  static final float SCORE_TOLERANCE = 1e-5f;

  @TempDir static Path work;
  static Path home;
  static LocalSolrCloud cloud;
  static SolrApi solr;
  static DualEncoder encoders;
  static Directory directory;
  static MultimodalSearcher embedded;
  static List<ManifestEntry> corpus;
  static int documents;

  @BeforeAll
  static void indexBothEngines() throws Exception {
    home = SolrDocsTest.projectHome();
    Path bundle = home.resolve("sample-data/models/default");
    Path sample = home.resolve("sample-data");
    // Every 12th sample entry, its image as an absolute path, in a manifest of the test's own.
    List<String> lines = Files.readAllLines(sample.resolve("manifest.jsonl"));
    List<String> picked = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < lines.size(); i += 12) {
      ObjectNode entry = (ObjectNode) json.readTree(lines.get(i));
      entry.put("image", sample.resolve(entry.get("image").asText()).toString());
      picked.add(json.writeValueAsString(entry));
    }
    Path manifest = work.resolve("equivalence.jsonl");
    Files.write(manifest, picked, StandardCharsets.UTF_8);
    corpus = new ArrayList<>(CloudSetup.entries(manifest));
    corpus.sort(Comparator.comparing(ManifestEntry::id));

    cloud = SolrDocsTest.startCloud(home, work.resolve("nodes"));
    solr = cloud.api();
    CloudSetup.createCollection(
        solr, SolrArtifacts.find(home), ModelBundle.open(bundle), COLLECTION, 2, 2);
    CloudSetup.Indexed indexed = CloudSetup.index(cloud.urls(), COLLECTION, manifest, sample, 2);
    assertEquals(0, indexed.rejected(), indexed.problems().toString());
    documents = indexed.documents();

    Map<String, float[]> vectors = solrVectors();
    assertEquals(documents, vectors.size());
    encoders = Encoders.open(EncoderCriteria.builder().bundle(bundle).build());
    ModelIdentity model = new ModelIdentity(encoders.fingerprint(), encoders.dimension());
    directory = FSDirectory.open(work.resolve("embedded"));
    try (MultimodalIndexWriter writer =
        MultimodalIndexWriter.open(
            directory,
            MultimodalIndexConfig.builder(model)
                .writerTuning(
                    iwc -> iwc.setMergePolicy(NoMergePolicy.INSTANCE).setRAMBufferSizeMB(256))
                .build())) {
      for (ManifestEntry e : corpus) {
        writer.upsert(
            ImageDocument.builder(ImageFields.of(e)).imageVector(vectors.get(e.id())).build());
      }
      writer.commit();
    }
    embedded =
        MultimodalSearcher.builder()
            .directory(directory, model)
            .queryEncoder(new BundleQueryEncoder(encoders.text(), encoders.image(), model))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (embedded != null) {
      embedded.close();
    }
    if (directory != null) {
      directory.close();
    }
    if (encoders != null) {
      encoders.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  static Map<String, float[]> solrVectors() throws Exception {
    JsonNode rsp =
        solr.select(
            COLLECTION,
            SolrApi.params(
                "q",
                "*:*",
                "rows",
                "10000",
                "fl",
                "id,[vector f=" + ImageSchema.IMAGE_VECTOR + "]"));
    Map<String, float[]> out = new HashMap<>();
    for (JsonNode d : rsp.get("response").get("docs")) {
      JsonNode v = d.get("[vector]");
      float[] f = new float[v.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) v.get(i).asDouble();
      }
      out.put(d.get("id").asText(), f);
    }
    return out;
  }

  /** One request in both engines' words. */
  record Case(String description, SearchRequest.Builder embedded, Map<String, String> solr) {}

  /** What an engine answered. */
  record Answer(List<String> ids, List<Float> scores, long total, Map<String, Integer> classes) {}

  @Test
  void exactSearchAnswersTheSameOnBothEngines() throws Exception {
    Random random = new Random(SEED);
    int compared = 0;
    int nearTieSwaps = 0;
    Set<String> kinds = new HashSet<>();
    for (int n = 0; n < REQUESTS; n++) {
      Case c = randomCase(random, kinds);
      String why = "request " + n + " (seed " + SEED + "): " + c.description();
      c.embedded().numCandidates(documents);
      c.solr().put("mmsearch.candidates", Integer.toString(documents));
      Answer e = embedded(c.embedded().build());
      Answer s = solr(c.solr());
      assertEquals(e.total(), s.total(), why + ": total");
      assertEquals(e.classes(), s.classes(), why + ": class counts");
      assertEquals(e.ids().size(), s.ids().size(), why + ": hits " + e.ids() + " vs " + s.ids());
      for (int i = 0; i < e.ids().size(); i++) {
        assertEquals(e.scores().get(i), s.scores().get(i), tolerance(e.scores().get(i)), why);
        if (!e.ids().get(i).equals(s.ids().get(i))) {
          // Only a near-tie (scores equal within float tolerance) may be ordered differently.
          int j = e.ids().indexOf(s.ids().get(i));
          assertTrue(
              j >= 0 && Math.abs(e.scores().get(j) - e.scores().get(i)) <= tolerance(1f),
              why + ": rank " + (i + 1) + " " + e.ids() + " vs " + s.ids());
          nearTieSwaps++;
        }
      }
      compared++;
    }
    System.out.printf(
        Locale.ROOT,
        "cross-engine equivalence: %d requests (%s), %d near-tie swaps, seed %d%n",
        compared,
        String.join(", ", new TreeMap<>(counts(kinds)).keySet()),
        nearTieSwaps,
        SEED);
    assertTrue(
        kinds.containsAll(
            List.of("text", "image", "raw", "like", "keywords", "filter", "rrf", "linear", "page")),
        "every kind of request was drawn: " + kinds);
  }

  @Test
  void hnswRecallAgainstExactIsReportedForEachEngine() throws Exception {
    Random random = new Random(SEED + 1);
    double embeddedRecall = 0;
    double solrRecall = 0;
    int queries = 20;
    for (int n = 0; n < queries; n++) {
      ManifestEntry e = corpus.get(random.nextInt(corpus.size()));
      String text = ImageFields.of(e).caption();
      Answer exactE =
          embedded(SearchRequest.builder().text(text).size(10).numCandidates(documents).build());
      Answer approxE = embedded(SearchRequest.builder().text(text).size(10).build());
      Map<String, String> p = SolrApi.params("mmsearch.text", text, "rows", "10");
      Answer approxS = solr(new LinkedHashMap<>(p));
      p.put("mmsearch.candidates", Integer.toString(documents));
      Answer exactS = solr(p);
      embeddedRecall += overlap(approxE.ids(), exactE.ids());
      solrRecall += overlap(approxS.ids(), exactS.ids());
    }
    System.out.printf(
        Locale.ROOT,
        "HNSW recall@10 against exact at the default oversample, %d text queries over %d"
            + " documents: embedded %.3f, SolrCloud (2 shards, per-replica graphs) %.3f%n",
        queries,
        documents,
        embeddedRecall / queries,
        solrRecall / queries);
    assertTrue(embeddedRecall / queries >= 0.9);
    assertTrue(solrRecall / queries >= 0.9);
  }

  static double overlap(List<String> got, List<String> exact) {
    Set<String> e = new HashSet<>(exact);
    return exact.isEmpty() ? 1 : got.stream().filter(e::contains).count() / (double) exact.size();
  }

  static float tolerance(float score) {
    return SCORE_TOLERANCE * Math.max(1f, Math.abs(score));
  }

  static Map<String, Integer> counts(Set<String> kinds) {
    Map<String, Integer> m = new HashMap<>();
    kinds.forEach(k -> m.put(k, 1));
    return m;
  }

  Case randomCase(Random random, Set<String> kinds) throws Exception {
    SearchRequest.Builder e = SearchRequest.builder();
    Map<String, String> s = new LinkedHashMap<>();
    List<String> what = new ArrayList<>();
    boolean vectorPart = random.nextInt(5) > 0;
    boolean keywordPart = !vectorPart || random.nextBoolean();
    if (vectorPart) {
      int sources = 0;
      while (sources == 0) {
        if (random.nextInt(3) == 0) {
          String text = ImageFields.of(corpus.get(random.nextInt(corpus.size()))).caption();
          float w = weight(random);
          e.text(text, w);
          s.put("mmsearch.text", text);
          s.put("mmsearch.text.weight", Float.toString(w));
          what.add("text '" + text + "'^" + w);
          kinds.add("text");
          sources++;
        }
        if (random.nextInt(3) == 0) {
          ManifestEntry img = corpus.get(random.nextInt(corpus.size()));
          byte[] bytes = Files.readAllBytes(img.image());
          float w = weight(random);
          e.image(bytes, w);
          s.put("mmsearch.image", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
          s.put("mmsearch.image.weight", Float.toString(w));
          what.add("image of " + img.id() + "^" + w);
          kinds.add("image");
          sources++;
        }
        if (random.nextInt(3) == 0) {
          float[] v = new float[encoders.dimension()];
          float scale = 0.05f + 20 * random.nextFloat(); // never unit length
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() * scale;
          }
          float w = weight(random);
          e.vector(v, w);
          StringBuilder literal = new StringBuilder("[");
          for (int i = 0; i < v.length; i++) {
            literal.append(i == 0 ? "" : ",").append(Float.toString(v[i]));
          }
          s.put("mmsearch.vector", literal.append(']').toString());
          s.put("mmsearch.vector.weight", Float.toString(w));
          what.add("raw vector x" + scale + "^" + w);
          kinds.add("raw");
          sources++;
        }
        if (random.nextInt(4) == 0) {
          String id = corpus.get(random.nextInt(corpus.size())).id();
          float w = weight(random);
          e.likeId(id, w);
          s.put("mmsearch.like", id);
          s.put("mmsearch.like.weight", Float.toString(w));
          what.add("like " + id + "^" + w);
          kinds.add("like");
          sources++;
        }
      }
    }
    if (keywordPart) {
      List<String> words = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
        String caption = ImageFields.of(corpus.get(random.nextInt(corpus.size()))).caption();
        String[] tokens = caption.split("[^A-Za-z]+");
        String t = tokens[random.nextInt(tokens.length)];
        if (!t.isBlank()) {
          words.add(t.toLowerCase(Locale.ROOT));
        }
      }
      if (words.isEmpty()) {
        words.add("face");
      }
      String keywords = String.join(" ", words);
      e.keywords(keywords);
      s.put("mmsearch.keywords", keywords);
      what.add("keywords '" + keywords + "'");
      kinds.add("keywords");
    }
    if (random.nextInt(3) == 0) {
      String cls = corpus.get(random.nextInt(corpus.size())).className();
      e.filter(new TermQuery(new Term(ImageSchema.CLASS, cls)));
      s.put("fq", "class:\"" + cls + "\"");
      what.add("filter class " + cls);
      kinds.add("filter");
    }
    if (vectorPart && keywordPart) {
      boolean rrf = random.nextBoolean();
      int c = 1 + random.nextInt(100);
      float kw = weight(random);
      float vw = weight(random);
      Fusion fusion = rrf ? Fusion.rrf(c, kw, vw) : Fusion.linear(kw, vw);
      e.fusion(fusion);
      s.put("mmsearch.fusion", rrf ? "rrf" : "linear");
      s.put("mmsearch.fusion.rankConstant", Integer.toString(c)); // ignored by linear
      s.put("mmsearch.fusion.keywordWeight", Float.toString(kw));
      s.put("mmsearch.fusion.vectorWeight", Float.toString(vw));
      what.add(fusion.toString());
      kinds.add(rrf ? "rrf" : "linear");
    }
    int k = 5 + random.nextInt(26);
    int from = random.nextInt(3) == 0 ? random.nextInt(16) : 0;
    int size = 1 + random.nextInt(10);
    e.k(k).from(from).size(size);
    s.put("mmsearch.k", Integer.toString(k));
    s.put("start", Integer.toString(from));
    s.put("rows", Integer.toString(size));
    if (from > 0) {
      kinds.add("page");
    }
    what.add("k " + k + ", from " + from + ", size " + size);
    return new Case(String.join("; ", what), e, s);
  }

  static float weight(Random random) {
    return random.nextBoolean() ? 1f : 0.25f + 3 * random.nextFloat();
  }

  static Answer embedded(SearchRequest request) throws Exception {
    SearchResults r = embedded.search(request);
    List<String> ids = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    for (Hit h : r.hits()) {
      ids.add(h.id());
      scores.add(h.score());
    }
    Map<String, Integer> classes = new TreeMap<>();
    for (FacetCount f : r.classCounts()) {
      classes.put(f.value(), f.count());
    }
    return new Answer(ids, scores, r.totalMatches(), classes);
  }

  static Answer solr(Map<String, String> params) throws Exception {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.put("fl", "id,score");
    p.put("facet", "true");
    p.put("facet.field", "class");
    p.put("facet.mincount", "1");
    p.put("facet.limit", "-1");
    JsonNode rsp = solr.select(COLLECTION, p);
    List<String> ids = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    for (JsonNode d : rsp.get("response").get("docs")) {
      ids.add(d.get("id").asText());
      scores.add((float) d.get("score").asDouble());
    }
    Map<String, Integer> classes = new TreeMap<>();
    JsonNode counts = rsp.get("facet_counts").get("facet_fields").get("class");
    for (int i = 0; i + 1 < counts.size(); i += 2) {
      classes.put(counts.get(i).asText(), counts.get(i + 1).asInt());
    }
    return new Answer(ids, scores, rsp.get("response").get("numFound").asLong(), classes);
  }
}
