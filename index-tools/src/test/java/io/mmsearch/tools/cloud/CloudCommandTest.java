package io.mmsearch.tools.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.tools.MmsearchCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mmsearch cloud} run for real, in-process: two Solr node JVMs on JDK 17 (the oldest JDK
 * Solr 9 users run) loading the plugin jar from their solr homes' {@code lib}, a collection, a
 * small manifest (a slice of the sample plus one bad entry) indexed through the plugin; the printed
 * example queries are sent to the printed URL; interrupting the command (its in-process Ctrl-C)
 * stops the nodes.
 */
class CloudCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RED_HEARTS = Set.of("twemoji-2764", "noto-2764");
  private static final int NODE_JDK = 17;

  @TempDir Path work;
  private Thread command;

  @AfterEach
  void stopCommand() throws InterruptedException {
    if (command != null && command.isAlive()) {
      command.interrupt();
      command.join(TimeUnit.MINUTES.toMillis(2));
    }
  }

  /** Sample lines 1-8 (faces), the two red hearts and four symbols, with their images. */
  private List<String> writeManifest(Path home, Path folder) throws IOException {
    List<String> sample =
        Files.readAllLines(home.resolve("sample-data/manifest.jsonl"), StandardCharsets.UTF_8);
    List<String> chosen = new ArrayList<>(sample.subList(0, 8));
    List<String> symbols = new ArrayList<>();
    for (String line : sample) {
      JsonNode entry = JSON.readTree(line);
      String id = entry.path("id").asText();
      if (RED_HEARTS.contains(id)) {
        chosen.add(line);
      } else if (entry.path("class").asText().equals("symbols") && symbols.size() < 4) {
        chosen.add(line);
        symbols.add(id);
      }
    }
    for (String line : chosen) {
      Path image = Path.of(JSON.readTree(line).path("image").asText());
      Files.createDirectories(folder.resolve(image).getParent());
      Files.copy(home.resolve("sample-data").resolve(image), folder.resolve(image));
    }
    Files.writeString(folder.resolve("not-a-picture.png"), "just words", StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(chosen);
    lines.add("{\"id\":\"bad-image\",\"image\":\"not-a-picture.png\",\"caption\":\"words\"}");
    Files.write(folder.resolve("manifest.jsonl"), lines, StandardCharsets.UTF_8);
    return symbols;
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void startsACloudIndexesTheManifestAnswersThePrintedQueriesAndStopsOnInterrupt()
      throws Exception {
    Path home = SolrDocsTest.projectHome();
    Path nodeJava =
        InstalledJdks.java(NODE_JDK)
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no JDK "
                            + NODE_JDK
                            + " beside the JDKs in sight; ./mmsearch test installs one"));
    Path data = work.resolve("data");
    List<String> symbols = writeManifest(home, data);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exitCode = new AtomicInteger(-1);
    command =
        new Thread(
            () ->
                exitCode.set(
                    MmsearchCommand.commandLine()
                        .setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(err, true))
                        .execute(
                            "cloud",
                            "--home",
                            home.toString(),
                            "--manifest",
                            data.resolve("manifest.jsonl").toString(),
                            "--dir",
                            work.resolve("nodes").toString(),
                            "--nodes",
                            "2",
                            "--shards",
                            "2",
                            "--replicas",
                            "1",
                            "--node-heap",
                            "512m",
                            "--node-java",
                            nodeJava.toString(),
                            "--collection",
                            "tried")),
            "mmsearch-cloud");
    command.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
    while (!out.toString().contains("Ctrl-C stops the cloud.")) {
      assertTrue(command.isAlive(), "the command ended early: " + out + err);
      assertTrue(System.nanoTime() < deadline, "no cloud after 6 minutes: " + out + err);
      Thread.sleep(250);
    }
    String printed = out.toString();
    assertTrue(printed.contains("collection tried: 2 shards x 1 replicas"), printed);
    assertTrue(printed.contains("indexed 14 documents"), printed);
    assertTrue(printed.contains(", 1 rejected"), printed);
    assertTrue(err.toString().contains("bad-image"), "the rejected entry is named: " + err);

    Matcher nodes = Pattern.compile("Solr nodes: (\\S+)\\s+(\\S+)").matcher(printed);
    assertTrue(nodes.find(), printed);
    List<String> curls = new ArrayList<>();
    Matcher curl = Pattern.compile("curl '([^']+)'").matcher(printed);
    while (curl.find()) {
      curls.add(curl.group(1));
    }
    assertEquals(2, curls.size(), printed);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (String node : List.of(nodes.group(1), nodes.group(2))) {
      JsonNode jvm = get(http, node + "/admin/info/system?wt=json").path("jvm");
      assertEquals(
          Integer.toString(NODE_JDK), jvm.at("/spec/version").asText(), node + " runs on " + jvm);
    }
    JsonNode text = get(http, curls.get(0));
    assertTrue(
        RED_HEARTS.contains(text.at("/response/docs/0/id").asText()),
        "the printed text query finds a red heart first: " + text);
    JsonNode filtered = get(http, curls.get(1));
    assertFalse(filtered.at("/response/docs").isEmpty(), filtered.toString());
    Set<String> found = new HashSet<>();
    filtered.at("/response/docs").forEach(d -> found.add(d.path("id").asText()));
    assertTrue(symbols.containsAll(found), "the printed filtered query keeps to symbols: " + found);

    command.interrupt();
    command.join(TimeUnit.MINUTES.toMillis(2));
    assertFalse(command.isAlive(), "the command still runs after an interrupt");
    assertEquals(0, exitCode.get(), out + "\n" + err);
    assertTrue(out.toString().contains("stopping the cloud"), out.toString());
    for (String node : List.of(nodes.group(1), nodes.group(2))) {
      assertThrows(
          ConnectException.class,
          () -> get(http, node + "/admin/info/system"),
          node + " still answers after the command stopped");
    }
  }

  private static JsonNode get(HttpClient http, String url)
      throws IOException, InterruptedException {
    HttpResponse<String> rsp =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, rsp.statusCode(), url + ": " + rsp.body());
    return JSON.readTree(rsp.body());
  }
}
