package io.mmsearch.tools;

import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.tools.search.SearchSession;
import io.mmsearch.tools.serve.SearchServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.lucene.index.IndexNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mmsearch serve}: the JSON API and the web page over an index. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a search page and a JSON API over an index (Ctrl-C stops it gracefully).",
      "API: GET /api/search?q=&mode=keyword|vector|hybrid&like=&keywords=&class=&filter=&query=&fusion=rrf|linear&k=&from=&explain=true,",
      "     POST /api/search?... with an image as the body, GET /api/image/<id>, GET /api/stats"
    })
final class ServeCommand implements Callable<Integer> {

  @Mixin SearchTargetOptions target;

  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = 8080;

  @Option(
      names = "--host",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 exposes the"
              + " server to the network).")
  String host = "127.0.0.1";

  @Option(
      names = "--max-upload",
      paramLabel = "BYTES",
      description = "Largest query image upload in bytes (default: ${DEFAULT-VALUE}).")
  long maxUpload = 10L << 20;

  @Override
  public Integer call() throws Exception {
    SearchSession session;
    try {
      session = target.openSession();
    } catch (IndexNotFoundException e) {
      System.err.println("mmsearch serve: no index in " + target.index);
      return 1;
    } catch (ModelMismatchException | InvalidBundleException e) {
      System.err.println("mmsearch serve: " + e.getMessage());
      return 1;
    }
    SearchServer server =
        SearchServer.builder()
            .session(session)
            .index(target.index)
            .host(host)
            .port(port)
            .maxUploadBytes(maxUpload)
            .build();
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.println("mmsearch serve: stopping");
                  server.stop(2);
                  try {
                    session.close();
                  } catch (Exception e) {
                    System.err.println("mmsearch serve: closing the index failed: " + e);
                  }
                  stopped.countDown();
                },
                "mmsearch-serve-shutdown"));
    System.err.printf(
        "mmsearch serve: %d documents; open %s (Ctrl-C to stop)%n",
        session.documents(), server.uri());
    stopped.await();
    return 0;
  }
}
