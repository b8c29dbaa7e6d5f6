package io.mmsearch.tools.cloud;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A SolrCloud on this machine: N Solr nodes, each a JVM of its own started from Solr's jars (see
 * {@link SolrArtifacts}), the first running Solr's embedded ZooKeeper. Each node's solr home gets
 * the mmsearch plugin jar and the backbone jars in {@code lib/}, as a real install would; the model
 * bundle and the image root are node properties. {@link #close()} stops every node. Not
 * thread-safe.
 */
public final class LocalSolrCloud implements Closeable {

  /** How to start the nodes. */
  public record Options(
      int nodes,
      Path workDir,
      Path bundle,
      Path imageRoot,
      String java,
      String heap,
      List<String> jvmOptions) {}

  private final List<Process> processes = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private String zkHost;

  private LocalSolrCloud() {}

  /**
   * Starts the nodes and waits until each answers.
   *
   * @throws IOException naming the node and its log if one does not start within two minutes
   */
  public static LocalSolrCloud start(SolrArtifacts artifacts, Options options)
      throws IOException, InterruptedException {
    LocalSolrCloud cloud = new LocalSolrCloud();
    try {
      for (int i = 0; i < options.nodes(); i++) {
        cloud.startNode(artifacts, options, i);
      }
      return cloud;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cloud.close();
      throw e;
    }
  }

  private void startNode(SolrArtifacts artifacts, Options options, int index)
      throws IOException, InterruptedException {
    Path home = options.workDir().resolve("node" + (index + 1)).toAbsolutePath();
    Files.createDirectories(home.resolve("lib"));
    for (Path jar : artifacts.libJars()) {
      Files.copy(
          jar, home.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    int port = freePortWithZkPort();
    List<String> cmd = new ArrayList<>();
    cmd.add(options.java());
    cmd.add("-Xmx" + options.heap());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Dmmsearch.bundle=" + options.bundle().toAbsolutePath());
    if (options.imageRoot() != null) {
      cmd.add("-Dmmsearch.image.root=" + options.imageRoot().toAbsolutePath());
    }
    cmd.addAll(options.jvmOptions());
    cmd.add("-cp");
    cmd.add(artifacts.nodeClassPath());
    cmd.add("io.mmsearch.solr.node.SolrNode");
    cmd.add(home.toString());
    cmd.add(Integer.toString(port));
    if (zkHost != null) {
      cmd.add(zkHost);
    }
    Path log = home.resolve("node.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    String url = awaitReady(p, log, Duration.ofMinutes(2));
    urls.add(url);
    if (zkHost == null) {
      zkHost = "127.0.0.1:" + (port + 1000); // Solr's embedded ZooKeeper: node port + 1000
    }
  }

  private static String awaitReady(Process p, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (line.startsWith("mmsearch-node-ready ")) {
            return line.substring("mmsearch-node-ready ".length()).strip();
          }
        }
      }
      if (!p.isAlive()) {
        throw new IOException("a Solr node exited with " + p.exitValue() + "; see " + log);
      }
      Thread.sleep(200);
    }
    throw new IOException("a Solr node did not start within " + timeout + "; see " + log);
  }

  /** A free port whose +1000 neighbour (the embedded ZooKeeper's) is free too. */
  private static int freePortWithZkPort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      if (port + 1000 > 65535) {
        continue;
      }
      try (ServerSocket zk = new ServerSocket(port + 1000)) {
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port pair (port, port + 1000) found");
  }

  /** The nodes' base URLs ({@code http://127.0.0.1:<port>/solr}), in start order. */
  public List<String> urls() {
    return List.copyOf(urls);
  }

  /** The ZooKeeper connect string. */
  public String zkHost() {
    return zkHost;
  }

  /** The Solr processes, in start order (for stopping one, or measuring them). */
  public List<Process> processes() {
    return List.copyOf(processes);
  }

  /** An API client on the first node. */
  public SolrApi api() {
    return new SolrApi(urls.get(0));
  }

  /** Stops the nodes (the last first, the ZooKeeper node last), waiting up to 30 s each. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }
}
