package io.mmsearch.solr.node;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Starts one SolrCloud node in this JVM and runs until the process is stopped:
 *
 * <pre>{@code
 * java -cp <solr-node classpath> io.mmsearch.solr.node.SolrNode <solr home> <port> [<zkHost>]
 * }</pre>
 *
 * Without {@code zkHost} the node runs Solr's own embedded ZooKeeper ({@code -DzkRun}, client port
 * = port + 1000), as {@code bin/solr start -c} does. The solr home gets a default {@code solr.xml}
 * if it has none. Plugins are loaded the way a real install loads them: from {@code <solr
 * home>/lib}. Prints {@code mmsearch-node-ready <url>} once the node answers.
 */
public final class SolrNode {
  private SolrNode() {}

  private static void copyIfAbsent(String resource, Path home) throws java.io.IOException {
    Path target = home.resolve(resource);
    if (!Files.exists(target)) {
      try (InputStream in = SolrNode.class.getResourceAsStream(resource)) {
        Files.copy(in, target);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: SolrNode <solr home> <port> [<zkHost>]");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    Files.createDirectories(home);
    copyIfAbsent("solr.xml", home);
    Files.createDirectories(home.resolve("logs"));
    System.setProperty("solr.log.dir", home.resolve("logs").toString());
    Properties nodeProperties = new Properties();
    if (args.length == 3) {
      nodeProperties.setProperty("zkHost", args[2]);
    } else {
      copyIfAbsent("zoo.cfg", home);
      System.setProperty("zkRun", "");
    }
    JettySolrRunner jetty =
        new JettySolrRunner(
            home.toString(),
            nodeProperties,
            JettyConfig.builder().setPort(port).setContext("/solr").stopAtShutdown(true).build());
    try {
      jetty.start();
      if (jetty.getCoreContainer() == null || jetty.getCoreContainer().isShutDown()) {
        throw new IllegalStateException("Solr did not start; see " + home.resolve("logs"));
      }
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    jetty.stop();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                },
                "solr-node-stop"));
    System.out.println("mmsearch-node-ready " + jetty.getBaseUrl());
    System.out.flush();
    Thread.currentThread().join();
  }
}
