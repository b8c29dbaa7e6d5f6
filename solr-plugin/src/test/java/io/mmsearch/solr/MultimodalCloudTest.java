package io.mmsearch.solr;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.MmsearchVersion;
import io.mmsearch.encoders.TinyBundles;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.image.SpecialFiles;
import io.mmsearch.semantics.Fusion;
import io.mmsearch.solr.model.NodeModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.response.UpdateResponse;
import org.apache.solr.cloud.SolrCloudTestCase;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.embedded.JettySolrRunner;
import org.apache.solr.util.LogListener;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * mmsearch on a real SolrCloud: 2 Jetty nodes, collection {@value #COLLECTION} with 2 shards x 2
 * replicas holding the whole sample (3,812 images, encoded at ingest by the plugin), queried
 * through {@code CloudSolrClient} and checked against an exact brute-force search over vectors the
 * test computes from the encoders alone.
 */
public class MultimodalCloudTest extends SolrCloudTestCase {
  static final String COLLECTION = "images";
  static final int K = 10;

  static List<SampleData.Entry> entries;
  static Map<String, float[]> exact; // id -> image vector, from the encoders alone
  static Map<String, String> classOf;
  static DualEncoder encoders;
  static long imagesEncodedAtIngest;

  @BeforeClass
  public static void setUpCluster() throws Exception {
    System.setProperty("mmsearch.engine", CountingEncoderEngine.NAME);
    imageRoot = imageRootWithSpecialFiles();
    System.setProperty("mmsearch.image.root", imageRoot.toString());
    configureCluster(2).addConfig("mmsearch", SampleData.configset()).configure();
    for (JettySolrRunner jetty : cluster.getJettySolrRunners()) {
      installBundle(jetty, SampleData.defaultModel());
    }
    CollectionAdminRequest.createCollection(COLLECTION, "mmsearch", 2, 2)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(COLLECTION, 2, 4);

    entries = SampleData.entries();
    classOf = new HashMap<>();
    for (SampleData.Entry e : entries) {
      classOf.put(e.id(), e.cls());
    }
    long before = CountingEncoderEngine.IMAGES.get();
    indexWithRetries(COLLECTION, entries);
    cluster.getSolrClient().commit(COLLECTION);
    imagesEncodedAtIngest = CountingEncoderEngine.IMAGES.get() - before;

    encoders = Encoders.open(EncoderCriteria.builder().bundle(SampleData.defaultModel()).build());
    exact = new LinkedHashMap<>();
    for (int from = 0; from < entries.size(); from += 64) {
      List<SampleData.Entry> batch = entries.subList(from, Math.min(entries.size(), from + 64));
      List<byte[]> images = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (SampleData.Entry e : batch) {
        images.add(Files.readAllBytes(SampleData.folder().resolve(e.image())));
        names.add(e.id());
      }
      List<EncodingResult> results = encoders.image().encodeEach(images, names);
      for (int i = 0; i < batch.size(); i++) {
        exact.put(batch.get(i).id(), results.get(i).orThrow());
      }
    }
  }

  @AfterClass
  public static void closeEncoders() throws Exception {
    if (encoders != null) {
      encoders.close();
    }
    System.clearProperty("mmsearch.engine");
    System.clearProperty("mmsearch.image.root");
    if (growing != null) {
      growing.close();
    }
    if (imageRoot != null) {
      try (Stream<Path> files = Files.walk(imageRoot)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  static Path imageRoot;
  static SpecialFiles.Growing growing;

  /** Special files under the image root: documents that name them must be rejected one by one. */
  static final List<String> SPECIAL = new ArrayList<>();

  /**
   * A temporary image root: a copy of the sample's images, and beside them files that are not
   * images to read (a named pipe, a socket, a sparse file larger than the heap, a growing file and,
   * where this user may make one, a character device).
   */
  private static Path imageRootWithSpecialFiles() throws Exception {
    Path root = Files.createTempDirectory("mmsearch-image-root");
    Path images = SampleData.folder().resolve("images");
    try (Stream<Path> files = Files.walk(images)) {
      for (Path f : files.toList()) {
        Path copy = root.resolve(SampleData.folder().relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(f, copy);
        }
      }
    }
    Path special = Files.createDirectories(root.resolve("special"));
    SpecialFiles.namedPipe(special.resolve("pipe.png"));
    SpecialFiles.socket(special.resolve("socket.png"));
    SpecialFiles.largerThanTheHeap(special.resolve("sparse.png"));
    growing = SpecialFiles.growing(special.resolve("growing.png"), 64 << 20);
    SPECIAL.addAll(List.of("pipe", "socket", "sparse", "growing"));
    Process mknod =
        new ProcessBuilder("mknod", special.resolve("zero.png").toString(), "c", "1", "5")
            .redirectErrorStream(true)
            .start();
    if (mknod.waitFor() == 0) {
      SPECIAL.add("zero"); // root may make devices; others test the rest
    }
    return root;
  }

  /** Puts a bundle where the configset looks for it: {@code <solr home>/mmsearch/bundle}. */
  static void installBundle(JettySolrRunner jetty, Path bundle) throws Exception {
    Path target = Path.of(jetty.getSolrHome()).resolve("mmsearch/bundle");
    Files.createDirectories(target.getParent());
    // Test temp dirs live on Lucene's mock file system: link by the real path.
    Files.createSymbolicLink(target, Path.of(bundle.toAbsolutePath().toString()));
  }

  /** Adds documents in batches, resending a batch until no part of it failed. */
  static void indexWithRetries(String collection, List<SampleData.Entry> docs) throws Exception {
    for (int from = 0; from < docs.size(); from += 100) {
      List<SolrInputDocument> batch = new ArrayList<>();
      for (SampleData.Entry e : docs.subList(from, Math.min(docs.size(), from + 100))) {
        batch.add(e.document());
      }
      addWithRetries(collection, batch);
    }
  }

  static void addWithRetries(String collection, List<SolrInputDocument> batch) throws Exception {
    addWithRetries(collection, batch, 1);
  }

  /**
   * Adds a batch until it is acknowledged without errors by at least {@code minReplicas} replicas
   * of each shard. Solr acknowledges an update that only the leader could write ({@code rf=1}); if
   * that leader's node then goes away before the other replica caught up, the update is lost, so a
   * client that must not lose documents resends until {@code rf} is what it needs.
   */
  static void addWithRetries(String collection, List<SolrInputDocument> batch, int minReplicas)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      String problem;
      try {
        UpdateRequest req = new UpdateRequest();
        req.add(batch);
        req.setParam("min_rf", Integer.toString(minReplicas));
        NamedList<Object> rsp = cluster.getSolrClient().request(req, collection);
        Object errors = ((NamedList<?>) rsp.get("responseHeader")).get("errors");
        int rf = cluster.getSolrClient().getMinAchievedReplicationFactor(collection, rsp);
        if ((errors == null || ((List<?>) errors).isEmpty()) && rf >= minReplicas) {
          return;
        }
        problem = "errors " + errors + ", replicas written " + rf;
      } catch (SolrServerException | SolrException | java.io.IOException e) {
        problem = e.toString();
      }
      if (attempt >= 240) {
        fail("batch still failing after " + attempt + " attempts: " + problem);
      }
      Thread.sleep(500);
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  static QueryResponse search(String collection, ModifiableSolrParams p) throws Exception {
    return new QueryRequest(p, SolrRequest.METHOD.POST)
        .process(cluster.getSolrClient(), collection);
  }

  static ModifiableSolrParams query(String... kv) {
    ModifiableSolrParams p = new ModifiableSolrParams();
    for (int i = 0; i < kv.length; i += 2) {
      p.add(kv[i], kv[i + 1]);
    }
    p.set("fl", "id,score");
    return p;
  }

  static List<String> ids(QueryResponse rsp) {
    List<String> ids = new ArrayList<>();
    for (SolrDocument d : rsp.getResults()) {
      ids.add(d.getFieldValue("id").toString());
    }
    return ids;
  }

  /** Exact top-k ids by dot product over the encoders' vectors, among ids accepted. */
  static List<String> bruteForce(float[] query, Predicate<String> accept) {
    List<Map.Entry<String, Double>> scored = new ArrayList<>();
    for (Map.Entry<String, float[]> e : exact.entrySet()) {
      if (!accept.test(e.getKey())) {
        continue;
      }
      double dot = 0;
      float[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        dot += (double) query[i] * v[i];
      }
      scored.add(Map.entry(e.getKey(), dot));
    }
    scored.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    List<String> top = new ArrayList<>();
    for (int i = 0; i < Math.min(K, scored.size()); i++) {
      top.add(scored.get(i).getKey());
    }
    return top;
  }

  static double overlap(List<String> got, List<String> expected) {
    Set<String> e = new HashSet<>(expected);
    long hits = got.stream().limit(K).filter(e::contains).count();
    return hits / (double) Math.min(K, expected.size());
  }

  /** Every 97th sample entry: distinct captions, images and classes spread over the sample. */
  static List<SampleData.Entry> probes() {
    List<SampleData.Entry> probes = new ArrayList<>();
    for (int i = 0; i < entries.size(); i += 97) {
      probes.add(entries.get(i));
    }
    return probes;
  }

  // --- tests ---------------------------------------------------------------------------------

  @Test
  public void wholeSampleIsIndexedOnceEach() throws Exception {
    QueryResponse rsp = search(COLLECTION, query("q", "*:*", "rows", "0"));
    assertEquals(entries.size(), rsp.getResults().getNumFound());
    assertEquals(3812, entries.size());
  }

  /**
   * The nodes run on the JDK the build selected for this module ({@code solr.plugin.jdk} in its
   * pom, found by maven-toolchains-plugin's JDK discovery): the oldest JDK Solr 9 users run, so
   * every test here proves the plugin on it.
   */
  @Test
  public void nodesRunOnTheOldestJdkSolrUsersRun() throws Exception {
    String expected = System.getProperty("mmsearch.test.node.java");
    assertNotNull("the build sets mmsearch.test.node.java", expected);
    for (JettySolrRunner jetty : cluster.getJettySolrRunners()) {
      try (SolrClient node = new Http2SolrClient.Builder(jetty.getBaseUrl().toString()).build()) {
        NamedList<Object> info =
            node.request(
                new GenericSolrRequest(
                    SolrRequest.METHOD.GET, "/admin/info/system", new ModifiableSolrParams()));
        assertEquals(
            jetty.getBaseUrl() + ": " + info.get("jvm"),
            expected,
            info._getStr("jvm/spec/version"));
      }
    }
  }

  @Test
  public void textImageLikeAndFilteredQueriesReachRecallAt10AgainstExactSearch() throws Exception {
    double text = 0, image = 0, like = 0, filtered = 0;
    List<SampleData.Entry> probes = probes();
    for (SampleData.Entry e : probes) {
      float[] t = encoders.text().encode(e.caption());
      text +=
          overlap(
              ids(search(COLLECTION, query("mmsearch.text", e.caption(), "rows", "10"))),
              bruteForce(t, id -> true));

      byte[] bytes = Files.readAllBytes(SampleData.folder().resolve(e.image()));
      String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      image +=
          overlap(
              ids(search(COLLECTION, query("mmsearch.image", b64, "rows", "10"))),
              bruteForce(encoders.image().encode(bytes), id -> true));

      like +=
          overlap(
              ids(search(COLLECTION, query("mmsearch.like", e.id(), "rows", "10"))),
              bruteForce(exact.get(e.id()), id -> !id.equals(e.id())));

      filtered +=
          overlap(
              ids(
                  search(
                      COLLECTION,
                      query(
                          "mmsearch.text",
                          e.caption(),
                          "fq",
                          "class:\"" + e.cls() + "\"",
                          "rows",
                          "10"))),
              bruteForce(t, id -> e.cls().equals(classOf.get(id))));
    }
    int n = probes.size();
    String figures =
        String.format(
            java.util.Locale.ROOT,
            "recall@10 over %d queries each: text %.3f, image %.3f, like %.3f, filtered %.3f",
            n,
            text / n,
            image / n,
            like / n,
            filtered / n);
    System.out.println(figures);
    assertTrue(figures, text / n >= 0.95);
    assertTrue(figures, image / n >= 0.95);
    assertTrue(figures, like / n >= 0.95);
    assertTrue(figures, filtered / n >= 0.95);
  }

  /**
   * A raw vector is unit-normalised before it is mixed, as the embedded searcher mixes it: its
   * length is never a weight, so ten times the vector answers exactly like the vector.
   */
  @Test
  public void aRawVectorIsUnitNormalisedBeforeItIsMixed() throws Exception {
    SampleData.Entry e = entries.get(123);
    float[] unit = exact.get(e.id());
    float[] tenTimes = new float[unit.length];
    for (int i = 0; i < unit.length; i++) {
      tenTimes[i] = 10 * unit[i];
    }
    List<Map.Entry<String, Float>> answers = null;
    for (float[] v : List.of(unit, tenTimes)) {
      List<Map.Entry<String, Float>> got =
          scored(
              search(
                  COLLECTION,
                  onFixedReplicas(
                      query(
                          "mmsearch.text",
                          "a smiling face",
                          "mmsearch.vector",
                          java.util.Arrays.toString(v).replace(" ", ""),
                          "rows",
                          "10"))));
      if (answers == null) {
        answers = got;
      } else {
        assertEquals(answers, got);
      }
    }
  }

  @Test
  public void hybridRrfAndLinearRankAsTheFusionFormulaOverTheTwoGlobalLists() throws Exception {
    for (SampleData.Entry e : probes().subList(0, 12)) {
      String words = e.caption();
      // Each list as the coordinator reads it: top 10, ties by id.
      String order = "score desc,id asc";
      QueryResponse keyword =
          search(
              COLLECTION,
              onFixedReplicas(query("mmsearch.keywords", words, "rows", "10", "sort", order)));
      QueryResponse vector =
          search(
              COLLECTION,
              onFixedReplicas(query("mmsearch.text", words, "rows", "10", "sort", order)));
      for (String fusion : List.of("rrf", "linear")) {
        QueryResponse hybrid =
            search(
                COLLECTION,
                onFixedReplicas(
                    query(
                        "mmsearch.text",
                        words,
                        "mmsearch.keywords",
                        words,
                        "mmsearch.fusion",
                        fusion,
                        "rows",
                        "10")));
        List<Map.Entry<String, Float>> expected =
            fusion.equals("rrf")
                ? ExpectedFusion.fuse(Fusion.rrf(), scored(keyword), scored(vector))
                : ExpectedFusion.fuse(Fusion.linear(1f, 1f), scored(keyword), scored(vector));
        List<Map.Entry<String, Float>> got = scored(hybrid);
        assertEquals(fusion + " '" + words + "'", Math.min(10, expected.size()), got.size());
        for (int i = 0; i < got.size(); i++) {
          assertEquals(
              fusion + " '" + words + "' rank " + (i + 1),
              expected.get(i).getValue(),
              got.get(i).getValue(),
              0f);
        }
        // Same documents at each score (ties may be ordered differently; the last group may be
        // cut).
        ExpectedFusion.assertSameUpToTies(expected, got);
      }
    }
  }

  /**
   * Sends every shard request to the same replica of each shard, whichever node coordinates (Solr's
   * stable replica routing). Each replica builds its own HNSW graph from segments flushed and
   * merged at its own times, so two replicas of a shard can return different approximate kNN
   * candidates for one query vector: a list is only "the list the hybrid fused" if it was read from
   * the same replicas.
   */
  static ModifiableSolrParams onFixedReplicas(ModifiableSolrParams p) {
    p.set("shards.preference", "replica.base:stable:dividend:routeTo");
    p.set("routeTo", 0);
    return p;
  }

  static List<Map.Entry<String, Float>> scored(QueryResponse rsp) {
    List<Map.Entry<String, Float>> list = new ArrayList<>();
    for (SolrDocument d : rsp.getResults()) {
      list.add(
          Map.entry(
              d.getFieldValue("id").toString(), ((Number) d.getFieldValue("score")).floatValue()));
    }
    return list;
  }

  @Test
  public void eachDocumentAndEachQueryIsEncodedExactlyOnce() throws Exception {
    assertEquals("images encoded while indexing the sample", entries.size(), imagesEncodedAtIngest);
    SampleData.Entry e = entries.get(5);
    byte[] bytes = Files.readAllBytes(SampleData.folder().resolve(e.image()));

    // Each query a text no test asked before, so the node's query-vector cache cannot answer it.
    String text = e.caption() + " encode-once";
    long texts = CountingEncoderEngine.TEXTS.get();
    long images = CountingEncoderEngine.IMAGES.get();
    search(COLLECTION, query("mmsearch.text", text + " 1"));
    assertEquals("text encodes for one text query", 1, CountingEncoderEngine.TEXTS.get() - texts);
    search(COLLECTION, query("mmsearch.text", text + " 2", "mmsearch.keywords", e.caption()));
    assertEquals(
        "text encodes after one hybrid (rrf) query", 2, CountingEncoderEngine.TEXTS.get() - texts);
    search(
        COLLECTION,
        query(
            "mmsearch.text",
            text + " 3",
            "mmsearch.keywords",
            e.caption(),
            "mmsearch.fusion",
            "sum"));
    assertEquals(
        "text encodes after one hybrid (sum) query", 3, CountingEncoderEngine.TEXTS.get() - texts);
    search(COLLECTION, query("mmsearch.like", e.id()));
    assertEquals("no encode for a like query", 3, CountingEncoderEngine.TEXTS.get() - texts);
    assertEquals(images, CountingEncoderEngine.IMAGES.get());

    GenericSolrRequest upload =
        new GenericSolrRequest(SolrRequest.METHOD.POST, "/select", query("rows", "10"))
            .withContent(bytes, "image/png");
    NamedList<Object> rsp = cluster.getSolrClient().request(upload, COLLECTION);
    SolrDocumentList docs = (SolrDocumentList) rsp.get("response");
    assertEquals(
        e.id() + " finds itself by its uploaded image", e.id(), docs.get(0).getFieldValue("id"));
    assertEquals(
        "image encodes for one uploaded image query",
        1,
        CountingEncoderEngine.IMAGES.get() - images);
  }

  @Test
  public void aQueryVectorOfTheWrongDimensionIsRefused() throws Exception {
    SolrException e =
        expectThrows(
            SolrException.class,
            () -> search(COLLECTION, query("mmsearch.vector", "[0.5,0.5,0.5]")));
    assertEquals(400, e.code());
    assertTrue(e.getMessage(), e.getMessage().contains("has 3 dimensions"));
    assertTrue(e.getMessage(), e.getMessage().contains("has " + encoders.dimension()));
  }

  /** {@code start + rows} past {@code int} is refused, never wrapped under the window limit. */
  @Test
  public void aPageWhoseEndOverflowsIsRefusedNotWrapped() throws Exception {
    SolrException e =
        expectThrows(
            SolrException.class,
            () ->
                search(
                    COLLECTION,
                    query(
                        "mmsearch.text",
                        "cat",
                        "start",
                        Integer.toString(Integer.MAX_VALUE),
                        "rows",
                        "10")));
    assertEquals(400, e.code());
    assertTrue(e.getMessage(), e.getMessage().contains("from + size 2147483657"));
  }

  @Test
  public void queriesStillAnswerInFullWithOneReplicaStopped() throws Exception {
    List<SampleData.Entry> probes = probes().subList(0, 5);
    List<List<String>> before = new ArrayList<>();
    List<Long> beforeCount = new ArrayList<>();
    for (SampleData.Entry e : probes) {
      before.add(
          ids(
              search(
                  COLLECTION,
                  query("mmsearch.text", e.caption(), "mmsearch.keywords", e.caption()))));
    }
    beforeCount.add(search(COLLECTION, query("q", "*:*", "rows", "0")).getResults().getNumFound());
    JettySolrRunner stopped = cluster.getJettySolrRunner(1);
    cluster.stopJettySolrRunner(stopped);
    cluster.waitForJettyToStop(stopped);
    try {
      for (int i = 0; i < probes.size(); i++) {
        SampleData.Entry e = probes.get(i);
        assertEquals(
            before.get(i),
            ids(
                search(
                    COLLECTION,
                    query("mmsearch.text", e.caption(), "mmsearch.keywords", e.caption()))));
      }
      assertEquals(
          beforeCount.get(0).longValue(),
          search(COLLECTION, query("q", "*:*", "rows", "0")).getResults().getNumFound());
    } finally {
      cluster.startJettySolrRunner(stopped, true);
      cluster.waitForActiveCollection(COLLECTION, 2, 4);
    }
  }

  @Test
  public void indexingThroughANodeStopKeepsEveryDocumentExactlyOnce() throws Exception {
    String collection = "crash";
    CollectionAdminRequest.createCollection(collection, "mmsearch", 2, 2)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(collection, 2, 4);
    List<SampleData.Entry> docs = entries.subList(0, 800);
    AtomicInteger batchesSent = new AtomicInteger();
    Exception[] failure = {null};
    Thread indexer =
        new Thread(
            () -> {
              try {
                for (int from = 0; from < docs.size(); from += 40) {
                  List<SolrInputDocument> batch = new ArrayList<>();
                  for (SampleData.Entry e : docs.subList(from, Math.min(docs.size(), from + 40))) {
                    batch.add(e.document());
                  }
                  addWithRetries(collection, batch, 2);
                  batchesSent.incrementAndGet();
                }
              } catch (Exception e) {
                failure[0] = e;
              }
            },
            "indexer");
    indexer.start();
    while (batchesSent.get() < 5 && indexer.isAlive()) {
      Thread.sleep(50);
    }
    JettySolrRunner stopped = cluster.getJettySolrRunner(1);
    cluster.stopJettySolrRunner(stopped);
    try {
      // The node is away for a while, during which the indexer keeps sending and resending.
      Thread.sleep(3000);
    } finally {
      cluster.startJettySolrRunner(stopped, true);
    }
    indexer.join(300_000);
    assertFalse("indexer still running", indexer.isAlive());
    assertNull("indexing failed: " + failure[0], failure[0]);
    cluster.waitForActiveCollection(collection, 2, 4);
    cluster.waitForActiveCollection(COLLECTION, 2, 4);
    cluster.getSolrClient().commit(collection);
    ModifiableSolrParams all = query("q", "*:*", "rows", "2000");
    all.set("fl", "id");
    List<String> ids = ids(search(collection, all));
    Set<String> missing = new java.util.TreeSet<>();
    docs.forEach(d -> missing.add(d.id()));
    missing.removeAll(ids);
    assertEquals("missing " + missing, docs.size(), ids.size());
    assertEquals(docs.size(), new HashSet<>(ids).size());
    // Every replica holds its whole shard: the stopped node caught up.
    DocCollection state = cluster.getSolrClient().getClusterState().getCollection(collection);
    for (org.apache.solr.common.cloud.Slice slice : state.getSlices()) {
      Long count = null;
      for (Replica replica : slice.getReplicas()) {
        try (SolrClient direct = new Http2SolrClient.Builder(replica.getBaseUrl()).build()) {
          ModifiableSolrParams local = query("q", "*:*", "rows", "0", "distrib", "false");
          long n =
              new QueryRequest(local)
                  .process(direct, replica.getCoreName())
                  .getResults()
                  .getNumFound();
          if (count == null) {
            count = n;
          } else {
            assertEquals("replicas of " + slice.getName(), count.longValue(), n);
          }
        }
      }
    }
    CollectionAdminRequest.deleteCollection(collection).process(cluster.getSolrClient());
  }

  @Test
  public void aNodeWithAnotherBundleRefusesTheCoreNamingBothFingerprints() throws Exception {
    LogListener modelLoads = LogListener.info(NodeModels.class).substring("loaded model");
    JettySolrRunner other = cluster.startJettySolrRunner();
    try {
      Path bundleDir = Path.of(createTempDir("other-bundle").toString());
      ModelBundle otherBundle = TinyBundles.write(bundleDir, 7);
      installBundle(other, bundleDir);
      String expected = ModelBundle.open(SampleData.defaultModel()).fingerprint();
      Exception e =
          expectThrows(
              Exception.class,
              () ->
                  CollectionAdminRequest.addReplicaToShard(COLLECTION, "shard1")
                      .setNode(other.getNodeName())
                      .process(cluster.getSolrClient()));
      Map<String, ?> failures = other.getCoreContainer().getCoreInitFailures();
      assertEquals(failures.toString(), 1, failures.size());
      String message = String.valueOf(failures.values().iterator().next());
      org.apache.solr.core.CoreContainer.CoreLoadFailure failure =
          (org.apache.solr.core.CoreContainer.CoreLoadFailure) failures.values().iterator().next();
      Throwable root = failure.exception;
      StringBuilder all = new StringBuilder(e.getMessage() == null ? "" : e.getMessage());
      for (Throwable t = root; t != null; t = t.getCause()) {
        all.append(" | ").append(t.getMessage());
      }
      assertTrue(all.toString(), all.toString().contains(expected));
      assertTrue(all.toString(), all.toString().contains(otherBundle.fingerprint()));
      assertNotNull(message);
      // The node's start-up line for a model names the plugin's version, its JVM and the model.
      String loaded = modelLoads.pollMessage();
      assertNotNull("the node logs the model it loads", loaded);
      assertTrue(
          loaded,
          loaded.startsWith(
              "mmsearch " + MmsearchVersion.current() + " (Java " + Runtime.version() + ")"));
      assertTrue(loaded, loaded.contains(otherBundle.fingerprint()));
    } finally {
      modelLoads.clearQueue();
      modelLoads.close();
      cluster.stopJettySolrRunner(other);
      DocCollection state = cluster.getSolrClient().getClusterState().getCollection(COLLECTION);
      for (Replica r : state.getReplicas()) {
        if (r.getNodeName().equals(other.getNodeName())) {
          CollectionAdminRequest.deleteReplica(COLLECTION, r.getShard(), r.getName())
              .process(cluster.getSolrClient());
        }
      }
      cluster.waitForActiveCollection(COLLECTION, 2, 4);
    }
  }

  @Test
  public void badInputGetsPerDocumentErrorsAndTheRestIsIndexed() throws Exception {
    String collection = "inputs";
    CollectionAdminRequest.createCollection(collection, "mmsearch", 2, 1)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(collection, 2, 2);
    try {
      List<SolrInputDocument> docs = badAndGoodDocuments();
      UpdateResponse rsp = cluster.getSolrClient().add(collection, docs);
      cluster.getSolrClient().commit(collection);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> errors =
          (List<Map<String, Object>>) (List<?>) rsp.getResponseHeader().get("errors");
      assertNotNull("tolerant response lists errors: " + rsp, errors);
      Map<String, String> byId = new HashMap<>();
      for (Object o : errors) {
        @SuppressWarnings("unchecked")
        Map<String, Object> err =
            (Map<String, Object>) (o instanceof NamedList<?> nl ? nl.asShallowMap() : o);
        byId.put(err.get("id").toString(), err.get("message").toString());
      }
      Set<String> bad =
          new HashSet<>(Set.of("bad-text", "bad-truncated", "bad-outside", "bad-missing"));
      SPECIAL.forEach(name -> bad.add("bad-" + name));
      assertEquals(byId.toString(), bad, byId.keySet());
      for (String name : List.of("pipe", "socket", "zero")) {
        if (SPECIAL.contains(name)) {
          String message = byId.get("bad-" + name);
          assertTrue(message, message.contains("field 'image_path': special/" + name + ".png: "));
          assertTrue(message, message.contains("not a regular file: it is a"));
        }
      }
      for (String name : List.of("sparse", "growing")) {
        String message = byId.get("bad-" + name);
        assertTrue(message, message.contains("field 'image_path': special/" + name + ".png: "));
        assertTrue(message, message.contains("limit of 268435456 bytes"));
      }
      assertTrue(
          byId.get("bad-text"),
          byId.get("bad-text").contains("document 'bad-text': field 'image'"));
      assertTrue(byId.get("bad-text"), byId.get("bad-text").contains("not an image"));
      assertTrue(byId.get("bad-truncated"), byId.get("bad-truncated").contains("field 'image'"));
      assertTrue(
          byId.get("bad-outside"), byId.get("bad-outside").contains("outside the image root"));
      assertTrue(byId.get("bad-missing"), byId.get("bad-missing").contains("no image"));
      ModifiableSolrParams all = query("q", "*:*", "rows", "100");
      all.set("fl", "id,uri,content_hash,width,height,mime");
      QueryResponse indexed = search(collection, all);
      assertEquals(Set.of("good-1", "good-2"), new HashSet<>(ids(indexed)));
      SolrDocument good =
          indexed.getResults().stream()
              .filter(d -> d.get("id").equals("good-1"))
              .findFirst()
              .orElseThrow();
      assertEquals(entries.get(0).image(), good.getFieldValue("uri"));
      assertEquals("image/png", good.getFieldValue("mime"));
      assertNotNull(good.getFieldValue("content_hash"));
    } finally {
      CollectionAdminRequest.deleteCollection(collection).process(cluster.getSolrClient());
    }
  }

  @Test
  public void batchModeRejectsTheWholeBatchNamingEveryBadDocument() throws Exception {
    String collection = "batches";
    CollectionAdminRequest.createCollection(collection, "mmsearch", 2, 1)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(collection, 2, 2);
    // One node receives the whole batch (CloudSolrClient would split it per shard leader).
    String node = cluster.getJettySolrRunner(0).getBaseUrl().toString();
    try (SolrClient direct = new Http2SolrClient.Builder(node).build()) {
      UpdateRequest bad = new UpdateRequest();
      bad.add(badAndGoodDocuments());
      bad.setParam("update.chain", "mmsearch-batch");
      SolrException e = expectThrows(SolrException.class, () -> bad.process(direct, collection));
      assertEquals(400, e.code());
      List<String> badIds =
          new ArrayList<>(List.of("bad-text", "bad-truncated", "bad-outside", "bad-missing"));
      SPECIAL.forEach(name -> badIds.add("bad-" + name));
      for (String id : badIds) {
        assertTrue(e.getMessage(), e.getMessage().contains("document '" + id + "'"));
      }
      assertTrue(e.getMessage(), e.getMessage().contains("none was indexed"));
      direct.commit(collection);
      assertEquals(
          0, search(collection, query("q", "*:*", "rows", "0")).getResults().getNumFound());

      UpdateRequest good = new UpdateRequest();
      good.add(entries.get(0).document());
      good.add(entries.get(1).document());
      good.setParam("update.chain", "mmsearch-batch");
      good.process(direct, collection);
      direct.commit(collection);
      assertEquals(
          2, search(collection, query("q", "*:*", "rows", "0")).getResults().getNumFound());
    } finally {
      CollectionAdminRequest.deleteCollection(collection).process(cluster.getSolrClient());
    }
  }

  static List<SolrInputDocument> badAndGoodDocuments() throws Exception {
    List<SolrInputDocument> docs = new ArrayList<>();
    SolrInputDocument text = new SolrInputDocument("id", "bad-text");
    text.setField(
        "image",
        "this is a sentence, not a picture".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    docs.add(text);
    byte[] png = Files.readAllBytes(SampleData.folder().resolve(entries.get(2).image()));
    SolrInputDocument cut = new SolrInputDocument("id", "bad-truncated");
    cut.setField("image", java.util.Arrays.copyOf(png, png.length / 3));
    docs.add(cut);
    SolrInputDocument outside = new SolrInputDocument("id", "bad-outside");
    outside.setField("image_path", "../README.md");
    docs.add(outside);
    docs.add(new SolrInputDocument("id", "bad-missing"));
    for (String name : SPECIAL) {
      SolrInputDocument special = new SolrInputDocument("id", "bad-" + name);
      special.setField("image_path", "special/" + name + ".png");
      docs.add(special);
    }
    SolrInputDocument g1 = entries.get(0).document();
    g1.setField("id", "good-1");
    docs.add(g1);
    SolrInputDocument g2 = new SolrInputDocument("id", "good-2");
    g2.setField("image", Files.readAllBytes(SampleData.folder().resolve(entries.get(1).image())));
    docs.add(g2);
    return docs;
  }

  /**
   * A node encodes a query text once: the same text again (with surrounding spaces, which the model
   * does not see) is answered from the node's query-vector cache and ranks the same.
   */
  @Test
  public void aRepeatedQueryTextIsEncodedOncePerNode() throws Exception {
    JettySolrRunner jetty = cluster.getJettySolrRunner(0);
    try (SolrClient node = new Http2SolrClient.Builder(jetty.getBaseUrl().toString()).build()) {
      String text = entries.get(7).caption() + " cached";
      long texts = CountingEncoderEngine.TEXTS.get();
      List<String> first = ids(node.query(COLLECTION, query("mmsearch.text", text)));
      List<String> again = ids(node.query(COLLECTION, query("mmsearch.text", "  " + text + " ")));
      assertEquals("the cached vector answers the same", first, again);
      assertEquals(
          "one encode for the text asked twice", 1, CountingEncoderEngine.TEXTS.get() - texts);
    }
  }

  @Test
  public void badFeatureParametersAreRefusedNamingTheParameter() throws Exception {
    String id = entries.get(9).id();
    String[][] cases = {
      {"mmsearch.text", "cat", "mmsearch.target", "colour"},
      {"mmsearch.text", "cat", "mmsearch.target", "image:-1"},
      {"mmsearch.text", "cat", "mmsearch.targetJoin", "max"},
      {"mmsearch.text", "cat", "mmsearch.minScore", "1.5"},
      {"mmsearch.text", "cat", "mmsearch.autocut", "-1"},
      {"mmsearch.text", "cat", "mmsearch.mmr", "2"},
      {"mmsearch.unlike", id},
      {"mmsearch.text", "cat", "mmsearch.like", "no-such-document"},
      {"mmsearch.likeText", "cat", "mmsearch.unlikeText", "cat^1"},
    };
    String[] named = {
      "mmsearch.target",
      "mmsearch.target",
      "target join",
      "minScore",
      "autocut",
      "MMR",
      "negative examples alone",
      "no-such-document",
      "zero"
    };
    for (int i = 0; i < cases.length; i++) {
      String[] c = cases[i];
      SolrException e = expectThrows(SolrException.class, () -> search(COLLECTION, query(c)));
      assertEquals(String.join(" ", c) + ": " + e.getMessage(), 400, e.code());
      assertTrue(
          String.join(" ", c) + " names " + named[i] + ": " + e.getMessage(),
          e.getMessage().contains(named[i]));
    }
  }

  /**
   * The target recall on Solr: a core answering on its own ({@code distrib=false}) fetches as many
   * candidates (its {@code numFound} for a vector-only query) as its own calibration chooses for
   * the target and the kind of query, once it has measured its layout; the default oversample
   * before; an explicit oversample wins; a bad target is refused naming {@code mmsearch.recall}.
   */
  @Test
  public void eachCoreFetchesTheCandidatesItsOwnCalibrationChoosesForTheTarget() throws Exception {
    Replica replica =
        cluster
            .getSolrClient()
            .getClusterState()
            .getCollection(COLLECTION)
            .getSlices()
            .iterator()
            .next()
            .getReplicas()
            .iterator()
            .next();
    String caption = entries.get(21).caption();
    try (SolrClient direct = new Http2SolrClient.Builder(replica.getBaseUrl()).build()) {
      java.util.function.Function<String[], Long> numFound =
          kv -> {
            ModifiableSolrParams p = query(kv);
            p.set("distrib", "false");
            try {
              return new QueryRequest(p, SolrRequest.METHOD.POST)
                  .process(direct, replica.getCoreName())
                  .getResults()
                  .getNumFound();
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          };
      // The first search starts the core's measurement.
      numFound.apply(new String[] {"mmsearch.text", caption, "rows", "10"});
      JettySolrRunner node =
          cluster.getJettySolrRunners().stream()
              .filter(j -> j.getNodeName().equals(replica.getNodeName()))
              .findFirst()
              .orElseThrow();
      try (org.apache.solr.core.SolrCore core =
          node.getCoreContainer().getCore(replica.getCoreName())) {
        io.mmsearch.solr.recall.CoreCalibrations calibrations =
            ((io.mmsearch.solr.search.MultimodalSearchComponent)
                    core.getSearchComponent(
                        io.mmsearch.solr.search.MultimodalSearchComponent.COMPONENT_NAME))
                .calibrations();
        org.apache.solr.util.RefCounted<org.apache.solr.search.SolrIndexSearcher> searcher =
            core.getSearcher();
        try {
          org.apache.lucene.index.IndexReader reader = searcher.get().getIndexReader();
          calibrations.awaitMeasurement(
              reader, "image_vec", 5, java.util.concurrent.TimeUnit.MINUTES);
          io.mmsearch.semantics.recall.RecallCalibration calibration =
              calibrations.forReader(reader, "image_vec").orElseThrow().calibration();
          for (double target : new double[] {0.9, 0.98}) {
            int expected =
                io.mmsearch.semantics.recall.CandidatePlanner.plan(
                        new io.mmsearch.semantics.SearchDepth(10, 0, 10, 0, 0f, target),
                        java.util.EnumSet.of(io.mmsearch.semantics.recall.QueryKind.TEXT),
                        1.0,
                        true,
                        java.util.Optional.of(calibration),
                        true)
                    .candidates();
            assertEquals(
                "target " + target + ": " + calibration.describe(10, target),
                expected,
                (long)
                    numFound.apply(
                        new String[] {
                          "mmsearch.text",
                          caption,
                          "rows",
                          "10",
                          "mmsearch.recall",
                          Double.toString(target)
                        }));
          }
        } finally {
          searcher.decref();
        }
      }
      assertEquals(
          70L,
          (long)
              numFound.apply(
                  new String[] {
                    "mmsearch.text", caption, "rows", "10", "mmsearch.oversample", "7"
                  }));
    }
    for (String bad : new String[] {"0", "1.5", "NaN", "abc"}) {
      SolrException e =
          expectThrows(
              SolrException.class,
              () -> search(COLLECTION, query("mmsearch.text", "cat", "mmsearch.recall", bad)));
      assertEquals(bad + ": " + e.getMessage(), 400, e.code());
      assertTrue(bad + ": " + e.getMessage(), e.getMessage().contains("mmsearch.recall"));
    }
  }
}
