package io.mmsearch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.image.SpecialFiles;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.SearchServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's life: a failed start leaves nothing behind and can be retried, {@code serve} closes
 * the index when it cannot bind, {@link SearchServer#stop()} waits for a refresh in progress, a
 * fatal {@link Error} in a request stops the server rather than becoming an ordinary 500, and the
 * image endpoint refuses a file that is no longer a regular file within budget.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServeLifecycleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OUT_OF_MEMORY_TEXT = "please run out of memory";

  @TempDir static Path root;
  static SampleIndex sample;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void indexTheSample() throws Exception {
    sample = SampleIndex.create(root.resolve("sample"));
  }

  private static SearchServer.Builder server(SearchSession session) {
    return SearchServer.builder().session(session).index(sample.index).port(0);
  }

  private static HttpResponse<byte[]> get(SearchServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aFailedStartLeavesNothingRunningAndTheServerCanBeStartedAgain() throws Exception {
    try (SearchSession session = SearchSession.open(sample.index, sample.bundle);
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SearchServer server = server(session).port(taken.getLocalPort()).build();

      assertThrows(IOException.class, server::start);
      assertFalse(server.isRunning());
      server.stop(); // nothing to stop: no exception
      assertThrows(IOException.class, server::start, "still taken: the same error again");

      taken.close();
      server.start();
      try {
        assertTrue(server.isRunning());
        assertEquals(200, get(server, "/api/stats").statusCode());
      } finally {
        server.stop();
      }
    }
  }

  @Test
  void serveThatCannotBindSaysWhyAndClosesTheIndex() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Cli run =
          Cli.run(
              "serve",
              "--index",
              sample.index.toString(),
              "--model",
              sample.bundle.toString(),
              "--port",
              Integer.toString(taken.getLocalPort()));

      assertEquals(1, run.exitCode(), run.err());
      assertTrue(
          run.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), run.err());
      assertEquals(List.of(), openFilesUnder(sample.index), "the index was left open");
    }
  }

  /**
   * The files under {@code folder} this process holds open or mapped (Linux: {@code /proc/self/fd}
   * and {@code /proc/self/maps}; Lucene maps index files and closes their descriptors).
   */
  private static List<String> openFilesUnder(Path folder) throws IOException {
    String real = folder.toRealPath().toString();
    List<String> open = new ArrayList<>();
    Path fds = Path.of("/proc/self/fd");
    if (Files.isDirectory(fds)) {
      try (Stream<Path> links = Files.list(fds)) {
        for (Path fd : links.toList()) {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith(real)) {
              open.add(target);
            }
          } catch (IOException e) {
            // closed meanwhile
          }
        }
      }
    }
    Path maps = Path.of("/proc/self/maps");
    if (Files.isReadable(maps)) {
      for (String line : Files.readAllLines(maps)) {
        int at = line.indexOf(real);
        if (at >= 0) {
          open.add(line.substring(at));
        }
      }
    }
    return open;
  }

  @Test
  void stopWaitsForARefreshInProgressSoTheSessionCanBeClosedRightAfter() throws Exception {
    BlockingDirectory directory = new BlockingDirectory(FSDirectory.open(sample.index));
    DualEncoder encoders = Encoders.open(EncoderCriteria.builder().bundle(sample.bundle).build());
    try (SearchSession session = SearchSession.open(directory, encoders)) {
      SearchServer server = server(session).refreshInterval(Duration.ofMillis(20)).build();
      server.start();
      directory.block();
      assertTrue(directory.entered.await(60, TimeUnit.SECONDS), "a refresh reads the directory");

      CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);
      Thread.sleep(500);
      assertFalse(stopped.isDone(), "stop() returned while a refresh was still reading the index");

      directory.release();
      stopped.get(60, TimeUnit.SECONDS);
      assertFalse(server.isRunning());
      assertFalse(directory.interrupted, "the refresh was interrupted instead of waited for");
    }
  }

  /** Blocks the refresher's {@code listAll} while asked to, like a slow disk. */
  private static final class BlockingDirectory extends FilterDirectory {
    final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean blocking;
    volatile boolean interrupted;

    BlockingDirectory(Directory in) {
      super(in);
    }

    void block() {
      blocking = true;
    }

    void release() {
      released.countDown();
    }

    @Override
    public String[] listAll() throws IOException {
      if (blocking && Thread.currentThread().getName().startsWith("mmsearch-refresh")) {
        entered.countDown();
        try {
          released.await();
        } catch (InterruptedException e) {
          interrupted = true;
          Thread.currentThread().interrupt();
        }
      }
      return super.listAll();
    }
  }

  @Test
  void anOutOfMemoryErrorInARequestStopsTheServerInsteadOfBecomingAnOrdinary500() throws Exception {
    DualEncoder real = Encoders.open(EncoderCriteria.builder().bundle(sample.bundle).build());
    DualEncoder encoders =
        new DualEncoder(real.bundle(), real.image(), new OutOfMemoryOnCue(real.text()));
    AtomicReference<Error> fatal = new AtomicReference<>();
    try (SearchSession session = SearchSession.open(FSDirectory.open(sample.index), encoders)) {
      SearchServer server = server(session).onFatalError(fatal::set).build();
      server.start();
      try {
        assertEquals(200, get(server, "/api/search?mode=vector&q=red%20square").statusCode());

        HttpResponse<byte[]> failed =
            get(server, "/api/search?mode=vector&q=" + OUT_OF_MEMORY_TEXT.replace(" ", "%20"));

        assertTrue(fatal.get() instanceof OutOfMemoryError, "the handler saw " + fatal.get());
        assertEquals(500, failed.statusCode());
        JsonNode body = JSON.readTree(failed.body());
        assertFalse(body.has("incident"), "answered as an ordinary server fault: " + body);
      } finally {
        server.stop();
      }
    }
  }

  @Test
  void byDefaultAFatalErrorStopsTheServer() throws Exception {
    DualEncoder real = Encoders.open(EncoderCriteria.builder().bundle(sample.bundle).build());
    DualEncoder encoders =
        new DualEncoder(real.bundle(), real.image(), new OutOfMemoryOnCue(real.text()));
    try (SearchSession session = SearchSession.open(FSDirectory.open(sample.index), encoders)) {
      SearchServer server = server(session).build();
      server.start();
      try {
        get(server, "/api/search?mode=vector&q=" + OUT_OF_MEMORY_TEXT.replace(" ", "%20"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.isRunning() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertFalse(server.isRunning(), "the server goes on after an OutOfMemoryError");
      } finally {
        server.stop();
      }
    }
  }

  /** The real text encoder, except that one text makes it run out of memory. */
  private record OutOfMemoryOnCue(TextEncoder real) implements TextEncoder {
    @Override
    public int dimension() {
      return real.dimension();
    }

    @Override
    public float[] encode(String text) {
      if (text.equals(OUT_OF_MEMORY_TEXT)) {
        throw new OutOfMemoryError("Java heap space (thrown by the test)");
      }
      return real.encode(text);
    }

    @Override
    public List<EncodingResult> encodeEach(List<String> texts) {
      return real.encodeEach(texts);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void theImageOfADocumentReplacedByASpecialFileIsRefusedNotReadWhole() throws Exception {
    SampleIndex own = SampleIndex.create(root.resolve("own"));
    Path pipe = own.images.resolve("red-square.png");
    Files.delete(pipe);
    SpecialFiles.namedPipe(pipe);
    Path sparse = own.images.resolve("green-square.png");
    Files.delete(sparse);
    SpecialFiles.largerThanTheHeap(sparse);
    try (SearchSession session = SearchSession.open(own.index, own.bundle)) {
      SearchServer server =
          SearchServer.builder().session(session).index(own.index).port(0).build();
      server.start();
      try {
        HttpResponse<byte[]> fifo = get(server, "/api/image/red-square");
        assertEquals(404, fifo.statusCode());
        assertTrue(
            JSON.readTree(fifo.body()).get("error").asText().contains("named pipe"),
            new String(fifo.body()));

        HttpResponse<byte[]> huge = get(server, "/api/image/green-square");
        assertEquals(404, huge.statusCode(), new String(huge.body()));
        assertTrue(
            JSON.readTree(huge.body()).get("error").asText().contains("over the limit"),
            new String(huge.body()));

        assertEquals(200, get(server, "/api/image/blue-square").statusCode());
      } finally {
        server.stop();
      }
    }
  }

  @Test
  void aStoppedServerStartsAgain() throws Exception {
    try (SearchSession session = SearchSession.open(sample.index, sample.bundle)) {
      SearchServer server = server(session).build();
      server.start();
      server.stop();
      server.start();
      try {
        assertEquals(200, get(server, "/api/stats").statusCode());
      } finally {
        server.stop();
      }
      assertSame(false, server.isRunning());
    }
  }
}
