package io.mmsearch.tools.cloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a local Solr node is made of, found in the project's build output: the node launcher's class
 * path (Solr 9.10's jars, Lucene 9.12; never this JVM's Lucene 10), the mmsearch plugin jar and the
 * configset. The build ({@code ./mmsearch}, i.e. {@code mvn package}) writes them.
 *
 * @param nodeClassPath class path of {@code io.mmsearch.solr.node.SolrNode}
 * @param pluginJar the plugin jar installed into each node's {@code <solr home>/lib}
 * @param configset the {@code conf} folder of the mmsearch configset
 */
public record SolrArtifacts(String nodeClassPath, Path pluginJar, Path configset) {

  /**
   * Finds the artifacts under the project folder {@code home}.
   *
   * @throws NoSuchFileException naming what is missing and how to build it
   */
  public static SolrArtifacts find(Path home) throws IOException {
    Path node = home.resolve("solr-node/target");
    Path classpath = node.resolve("classpath.txt");
    if (!Files.isRegularFile(classpath) || !Files.isDirectory(node.resolve("classes"))) {
      throw new NoSuchFileException(
          classpath.toString(), null, "the Solr node is not built; run ./mmsearch (mvn package)");
    }
    Path pluginJar;
    try (Stream<Path> jars = Files.list(home.resolve("solr-plugin/target"))) {
      pluginJar =
          jars.filter(p -> p.getFileName().toString().endsWith("-plugin.jar"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new NoSuchFileException(
                          home.resolve("solr-plugin/target").toString(),
                          null,
                          "no mmsearch-solr-plugin-*-plugin.jar; run ./mmsearch (mvn package)"));
    } catch (NoSuchFileException e) {
      throw e;
    }
    Path configset = home.resolve("solr-plugin/src/main/configset/mmsearch/conf");
    if (!Files.isRegularFile(configset.resolve("solrconfig.xml"))) {
      throw new NoSuchFileException(
          configset.toString(), null, "the mmsearch configset is missing");
    }
    String cp =
        node.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpath).strip();
    return new SolrArtifacts(cp, pluginJar, configset);
  }
}
