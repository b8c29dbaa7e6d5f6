package io.mmsearch.tools.cloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a local Solr node is made of, found in the project's build output: the node launcher's class
 * path (Solr 9.10's jars, Lucene 9.12; never this JVM's Lucene 10), the jars of a node's {@code
 * <solr home>/lib} (the mmsearch plugin jar for this platform and the pretrained backbone jars
 * beside it, as {@code solr-plugin/target/solr-lib/} holds them) and the configset. The build
 * ({@code ./mmsearch}, i.e. {@code mvn package}) writes them.
 *
 * @param nodeClassPath class path of {@code io.mmsearch.solr.node.SolrNode}
 * @param libJars the jars installed into each node's {@code <solr home>/lib}
 * @param configset the {@code conf} folder of the mmsearch configset
 */
public record SolrArtifacts(String nodeClassPath, List<Path> libJars, Path configset) {

  public SolrArtifacts {
    libJars = List.copyOf(libJars);
  }

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
    Path lib = home.resolve("solr-plugin/target/solr-lib");
    List<Path> jars = List.of();
    if (Files.isDirectory(lib)) {
      try (Stream<Path> files = Files.list(lib)) {
        jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
      }
    }
    if (jars.stream()
        .noneMatch(p -> p.getFileName().toString().startsWith("mmsearch-solr-plugin-"))) {
      throw new NoSuchFileException(
          lib.toString(), null, "no mmsearch-solr-plugin-*.jar; run ./mmsearch (mvn package)");
    }
    Path configset = home.resolve("solr-plugin/src/main/configset/mmsearch/conf");
    if (!Files.isRegularFile(configset.resolve("solrconfig.xml"))) {
      throw new NoSuchFileException(
          configset.toString(), null, "the mmsearch configset is missing");
    }
    String cp =
        node.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpath).strip();
    return new SolrArtifacts(cp, jars, configset);
  }
}
