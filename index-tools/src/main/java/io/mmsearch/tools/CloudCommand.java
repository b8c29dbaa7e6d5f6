package io.mmsearch.tools;

import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.tools.cloud.CloudSetup;
import io.mmsearch.tools.cloud.LocalSolrCloud;
import io.mmsearch.tools.cloud.SolrApi;
import io.mmsearch.tools.cloud.SolrArtifacts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mmsearch cloud}: a local SolrCloud with the mmsearch plugin — nodes in JVMs of their own,
 * Solr's embedded ZooKeeper, the mmsearch configset, a collection, the sample indexed — then the
 * URLs to try it, until Ctrl-C (or, in-process, until the calling thread is interrupted). Prints to
 * the command line's output writer.
 */
@Command(
    name = "cloud",
    mixinStandardHelpOptions = true,
    description = {
      "Start a local SolrCloud (Solr 9.10, embedded ZooKeeper, each node in its own JVM) with the"
          + " mmsearch plugin, create a collection from the mmsearch configset, index a manifest"
          + " (the sample by default) and print the Solr URLs. Runs until Ctrl-C."
    })
final class CloudCommand implements Callable<Integer> {
  @Option(
      names = "--home",
      description = "Project folder (default: the checkout ./mmsearch runs from).")
  Path home = Path.of(System.getProperty("mmsearch.home", "."));

  @Option(names = "--nodes", description = "Solr nodes (default: ${DEFAULT-VALUE}).")
  int nodes = 2;

  @Option(names = "--shards", description = "Shards (default: ${DEFAULT-VALUE}).")
  int shards = 2;

  @Option(names = "--replicas", description = "Replicas per shard (default: ${DEFAULT-VALUE}).")
  int replicas = 2;

  @Option(names = "--collection", description = "Collection name (default: ${DEFAULT-VALUE}).")
  String collection = "images";

  @Option(names = "--model", description = "Model bundle (default: sample-data/models/default).")
  Path model;

  @Option(
      names = "--manifest",
      description = "Manifest to index (default: sample-data/manifest.jsonl).")
  Path manifest;

  @Option(names = "--no-index", description = "Create the collection but index nothing.")
  boolean noIndex;

  @Option(
      names = "--dir",
      description = "Work folder for the nodes' solr homes (default: <home>/solr-cloud; wiped).")
  Path dir;

  @Option(names = "--node-heap", description = "Heap of each node (default: ${DEFAULT-VALUE}).")
  String heap = "1g";

  @Option(
      names = "--node-java",
      description = "java executable for the nodes (default: this JVM's).")
  String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Option(names = "--node-jvm-option", description = "Extra JVM option for the nodes (repeatable).")
  List<String> jvmOptions = new ArrayList<>();

  @Option(names = "--exit", description = "Stop the cloud once it is set up (for scripts).")
  boolean exit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path bundle = model != null ? model : home.resolve("sample-data/models/default");
    Path manifestFile = manifest != null ? manifest : home.resolve("sample-data/manifest.jsonl");
    Path work = dir != null ? dir : home.resolve("solr-cloud");
    CloudSetup.wipe(work);
    ModelBundle opened = ModelBundle.open(bundle);
    SolrArtifacts artifacts = SolrArtifacts.find(home);
    Path imageRoot = manifestFile.toAbsolutePath().getParent();
    out.printf("starting %d Solr nodes (solr homes under %s)...%n", nodes, work);
    LocalSolrCloud cloud =
        LocalSolrCloud.start(
            artifacts,
            new LocalSolrCloud.Options(nodes, work, bundle, imageRoot, java, heap, jvmOptions));
    Thread stopper = new Thread(cloud::close, "solr-cloud-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      SolrApi api = cloud.api();
      CloudSetup.createCollection(api, artifacts, opened, collection, shards, replicas);
      out.printf(
          "collection %s: %d shards x %d replicas, model %s%n",
          collection,
          shards,
          replicas,
          opened.fingerprint() + " (dimension " + opened.dimension() + ")");
      if (!noIndex) {
        CloudSetup.Indexed indexed =
            CloudSetup.index(cloud.urls(), collection, manifestFile, imageRoot, 4);
        out.printf(
            "indexed %d documents in %.1f s (%.0f images/s), %d rejected%n",
            indexed.documents(),
            indexed.seconds(),
            indexed.documents() / indexed.seconds(),
            indexed.rejected());
        PrintWriter err = spec.commandLine().getErr();
        indexed.problems().forEach(problem -> err.println("not indexed: " + problem));
      }
      String first = cloud.urls().get(0);
      out.println();
      out.println("Solr nodes: " + String.join("  ", cloud.urls()));
      out.println("ZooKeeper:  " + cloud.zkHost());
      out.println("Admin UI:   " + first + "/#/");
      out.println("Try:");
      out.printf(
          "  curl '%s/%s/select?mmsearch.text=a+red+heart&fl=id,caption,score'%n",
          first, collection);
      out.printf(
          "  curl '%s/%s/select?mmsearch.text=a+red+heart&mmsearch.keywords=heart&fq=class:symbols&fl=id,caption,score'%n",
          first, collection);
      if (exit) {
        return 0;
      }
      out.println("Ctrl-C stops the cloud.");
      out.flush();
      try {
        for (Process p : cloud.processes()) {
          p.waitFor();
        }
      } catch (InterruptedException stop) {
        // Interrupting the command is its in-process Ctrl-C: stop the nodes gracefully below
        // (an interrupt flag left set would make close() kill them at once).
      }
      out.println("stopping the cloud");
      return 0;
    } finally {
      cloud.close();
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
    }
  }
}
