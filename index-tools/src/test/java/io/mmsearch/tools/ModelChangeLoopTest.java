package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model change loop of docs/cli.md ("Changing the model"), run from the page itself: index the
 * sample with the shipped default model, train a 1-epoch bundle, {@code reindex} into it, {@code
 * eval --compare} both, then {@code serve} both and swap under a concurrent query load. The page's
 * lines run as written, with these substitutions only: the sample and the paraphrase set are cut to
 * the first {@value #PARAPHRASES} paraphrases and the documents of their concepts (the whole sample
 * takes minutes per step), {@code runs/} is a temporary folder, {@code train} keeps its feature
 * cache there, {@code serve} picks a free port and runs in a child JVM, and the page's one {@code
 * curl} swap becomes swaps (HTTP and SIGUSR2) under load.
 */
class ModelChangeLoopTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARAPHRASES = 40;
  private static final Pattern SERVING = Pattern.compile("open (http://\\S+/) \\(Ctrl-C");

  @TempDir Path work;

  @Test
  void theDocumentedLoopSwapsModelsUnderAQueryLoadWithoutAFailedRequest() throws Exception {
    Path home = projectHome();
    Map<String, String> substitutions = sampleSlice(home);
    substitutions.put("runs/loop/", work.resolve("runs/loop") + "/");
    substitutions.put("--port 8080", "--port 0");
    Process serve = null;
    String evalOutput = null;
    for (String line : loopCommands(home.resolve("docs/cli.md"))) {
      String command = line;
      for (Map.Entry<String, String> s : substitutions.entrySet()) {
        command = command.replace(s.getKey(), s.getValue());
      }
      if (command.startsWith("./mmsearch serve ")) {
        serve = startServe(command.substring("./mmsearch ".length()).replaceAll("\\s*&$", ""));
      } else if (command.startsWith("./mmsearch ")) {
        List<String> args = new ArrayList<>(List.of(command.substring(11).split("\\s+")));
        if (args.get(0).equals("train")) {
          args.addAll(List.of("--feature-cache", work.resolve("features").toString()));
        }
        long start = System.nanoTime();
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), line + "\n" + r.err());
        System.out.printf(
            "%s: %.1f s%n%s", args.get(0), (System.nanoTime() - start) / 1e9, r.out());
        if (args.get(0).equals("eval")) {
          evalOutput = r.out() + r.err();
        }
      } else if (!command.startsWith("curl ")) {
        Process p = new ProcessBuilder("bash", "-c", command).inheritIO().start();
        assertEquals(0, p.waitFor(), line);
      }
    }

    Path oldBundle = home.resolve("sample-data/models/default");
    Path newBundle = work.resolve("runs/loop/train/bundle");
    String oldModel = fingerprint(oldBundle);
    String newModel = fingerprint(newBundle);
    assertTrue(!oldModel.equals(newModel), "training wrote another model");
    assertTrue(evalOutput != null && evalOutput.contains("R@10 old/new"), evalOutput);
    assertTrue(evalOutput.contains("(model " + oldModel + ")"), evalOutput);
    assertTrue(evalOutput.contains("(model " + newModel + ")"), evalOutput);
    assertTrue(Files.size(work.resolve("runs/loop/compare.png")) > 1000, "the chart is written");
    assertTrue(serve != null, "the page starts serve");
    try {
      swapUnderLoad(serve, oldModel, newModel);
    } finally {
      serve.toHandle().destroy();
      assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve stops on SIGTERM");
    }
  }

  private URI base;
  private final BlockingQueue<String> serveLog = new LinkedBlockingQueue<>();

  private void swapUnderLoad(Process serve, String oldModel, String newModel) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    assertEquals(oldModel, liveModel(http), "the old model is live at first");
    AtomicBoolean done = new AtomicBoolean();
    List<String> failures = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
    List<Thread> clients = new ArrayList<>();
    for (String q : List.of("red+heart", "smiling+face", "cat", "a+happy+dog")) {
      clients.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!done.get()) {
                      try {
                        HttpResponse<String> r =
                            http.send(
                                HttpRequest.newBuilder(base.resolve("api/search?q=" + q)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        JsonNode body = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
                        if (body == null || body.get("hits").isEmpty()) {
                          failures.add(r.statusCode() + " " + r.body());
                          continue;
                        }
                        answeredBy
                            .computeIfAbsent(
                                body.get("model").get("fingerprint").asText(),
                                m -> new AtomicInteger())
                            .incrementAndGet();
                      } catch (Exception e) {
                        failures.add(e.toString());
                      }
                    }
                  }));
    }
    try {
      String live = oldModel;
      for (int swap = 0; swap < 6; swap++) {
        Thread.sleep(300);
        if (swap == 3) {
          Process kill =
              new ProcessBuilder("kill", "-USR2", Long.toString(serve.pid())).inheritIO().start();
          assertEquals(0, kill.waitFor());
          awaitLine("SIGUSR2: live and shadow index swapped");
        } else {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(base.resolve("api/admin/swap"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode(), r.body());
        }
        live = live.equals(oldModel) ? newModel : oldModel;
        assertEquals(live, liveModel(http), "live after swap " + (swap + 1));
      }
      Thread.sleep(300);
    } finally {
      done.set(true);
      for (Thread t : clients) {
        t.join();
      }
    }
    System.out.println("answers during the swaps, by model: " + answeredBy);
    assertEquals(List.of(), failures, "no request failed during the swaps");
    assertEquals(Set.of(oldModel, newModel), answeredBy.keySet(), "both models answered");
  }

  private String liveModel(HttpClient http) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("api/models")).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode live = JSON.readTree(r.body()).get("models").get(0);
    assertEquals("live", live.get("role").asText());
    return live.get("fingerprint").asText();
  }

  /** Starts {@code mmsearch <args>} in a child JVM and waits until it says where it serves. */
  private Process startServe(String args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx768m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                MmsearchCommand.class.getName()));
    cmd.addAll(List.of(args.split("\\s+")));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                  System.err.println("serve| " + l);
                  serveLog.add(l);
                }
              } catch (java.io.IOException e) {
                // the child ended
              }
            });
    Matcher m = SERVING.matcher(awaitLine("open http://"));
    assertTrue(m.find());
    base = URI.create(m.group(1));
    return p;
  }

  private String awaitLine(String part) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String line = serveLog.poll(1, TimeUnit.SECONDS);
      if (line != null && line.contains(part)) {
        return line;
      }
    }
    throw new AssertionError("serve never printed '" + part + "'");
  }

  /**
   * The first {@value #PARAPHRASES} paraphrases and the sample's documents of their concepts (both
   * vendors), with absolute image paths; returns the page's paths mapped to them.
   */
  private Map<String, String> sampleSlice(Path home) throws Exception {
    List<String> paraphrases = new ArrayList<>();
    Set<String> concepts = new TreeSet<>();
    int taken = 0;
    for (String l : Files.readAllLines(home.resolve("scripts/data/paraphrases.tsv"))) {
      if (!l.startsWith("#")) {
        if (taken++ == PARAPHRASES) {
          break;
        }
        concepts.add(l.split("\t")[0]);
      }
      paraphrases.add(l);
    }
    Path sample = home.resolve("sample-data");
    List<String> manifest = new ArrayList<>();
    for (String l : Files.readAllLines(sample.resolve("manifest.jsonl"))) {
      var doc = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(l);
      if (concepts.contains(doc.get("concept").asText())) {
        doc.put("image", sample.resolve(doc.get("image").asText()).toString());
        manifest.add(JSON.writeValueAsString(doc));
      }
    }
    assertEquals(2 * concepts.size(), manifest.size(), "both vendors of every concept");
    Map<String, String> map = new LinkedHashMap<>();
    map.put(
        "sample-data/manifest.jsonl",
        Files.write(work.resolve("sample.jsonl"), manifest).toString());
    map.put("sample-data/models/default", sample.resolve("models/default").toString());
    map.put(
        "scripts/data/paraphrases.tsv",
        Files.write(work.resolve("paraphrases.tsv"), paraphrases).toString());
    return map;
  }

  /** The lines of the bash block under "## Changing the model", continuation lines joined. */
  static List<String> loopCommands(Path page) throws Exception {
    List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
    int section = lines.indexOf("## Changing the model");
    assertTrue(section >= 0, "docs/cli.md has a section 'Changing the model'");
    int start = lines.subList(section, lines.size()).indexOf("```bash") + section + 1;
    List<String> commands = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = start; !lines.get(i).equals("```"); i++) {
      String l = lines.get(i);
      if (l.endsWith("\\")) {
        current.append(l, 0, l.length() - 1);
        continue;
      }
      commands.add(current.append(l).toString().strip());
      current.setLength(0);
    }
    return commands;
  }

  private static String fingerprint(Path bundle) throws Exception {
    return JSON.readTree(bundle.resolve("bundle.json").toFile()).get("fingerprint").asText();
  }

  private static Path projectHome() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/cli.md"))) {
        return p;
      }
    }
    throw new IllegalStateException("no docs/cli.md above " + Path.of("").toAbsolutePath());
  }
}
