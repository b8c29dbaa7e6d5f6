package io.mmsearch.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.lucene.util.InfoStream;

/**
 * {@code mmsearch index} in a child JVM, so that it can really be killed, announcing on its output
 * every step its {@code IndexWriter} logs: {@link #main} installs an {@link InfoStream} that prints
 * {@code EVENT commit} when a commit starts, {@code EVENT merge} when a merge starts and {@code
 * EVENT step} for any other message of the writer (flushes, deletes applied, files synced, ...),
 * then runs the real command line. A test can thus act at a point in the writer's own sequence of
 * steps, whatever the speed of the machine.
 */
final class ChildIndexer {
  static final String COMMIT = "commit";
  static final String MERGE = "merge";
  static final String STEP = "step";

  private final Process process;
  private final Path log;
  private final Thread output;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  private ChildIndexer(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.output =
        Thread.ofPlatform()
            .daemon()
            .name("child-indexer-output")
            .start(
                () -> {
                  try (BufferedReader in =
                          new BufferedReader(
                              new InputStreamReader(
                                  process.getInputStream(), StandardCharsets.UTF_8));
                      var out = Files.newBufferedWriter(log)) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                      if (line.startsWith("EVENT ")) {
                        events.add(line.substring(6));
                      } else {
                        out.write(line);
                        out.newLine();
                      }
                    }
                  } catch (IOException e) {
                    // the child was killed mid-line
                  }
                });
  }

  /** Starts {@code mmsearch index <args>} in a child JVM; its other output goes to {@code log}. */
  static ChildIndexer start(Path log, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED",
                ChildIndexer.class.getName(),
                "index"));
    cmd.addAll(List.of(args));
    return new ChildIndexer(new ProcessBuilder(cmd).redirectErrorStream(true).start(), log);
  }

  Process process() {
    return process;
  }

  /**
   * Sends SIGTERM (as Ctrl-C) or, when {@code kill}, SIGKILL. Through the process handle, because
   * {@link Process#destroy()} also closes the pipes, losing what the child prints as it stops.
   */
  void signal(boolean kill) {
    if (kill) {
      process.toHandle().destroyForcibly();
    } else {
      process.toHandle().destroy();
    }
  }

  /** Everything but the events that the child printed; call after it ended. */
  String output() throws IOException, InterruptedException {
    output.join(10_000);
    return Files.readString(log);
  }

  /** The next event the child announced, waiting up to {@code millis}; null if none. */
  String nextEvent(long millis) throws InterruptedException {
    return events.poll(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  public static void main(String[] args) {
    InfoStream.setDefault(
        new InfoStream() {
          @Override
          public void message(String component, String message) {
            String event =
                message.startsWith("startCommit")
                    ? COMMIT
                    : message.startsWith("merge seg=") ? MERGE : STEP;
            synchronized (System.out) {
              System.out.println("EVENT " + event);
              System.out.flush();
            }
          }

          @Override
          public boolean isEnabled(String component) {
            return component.equals("IW");
          }

          @Override
          public void close() {}
        });
    MmsearchCommand.main(args);
  }
}
