package io.mmsearch.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for the requests a well-behaved client library refuses to send: a
 * foreign Host header, a malformed request line, a body that never comes, bytes one at a time.
 */
final class RawHttp {
  private RawHttp() {}

  /** A response: status, headers by lower-case name, body as text. */
  record Reply(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A connected socket with a read timeout, so a test never hangs on a silent server. */
  static Socket open(URI server, int readTimeoutMillis) throws IOException {
    Socket s = new Socket(server.getHost(), server.getPort());
    s.setSoTimeout(readTimeoutMillis);
    return s;
  }

  /**
   * Sends {@code request} as is and reads one response. A server may answer and close before the
   * whole request is written (a body over the limit): the write then fails and the answer is read.
   */
  static Reply exchange(URI server, String request) throws IOException {
    try (Socket s = open(server, 30_000)) {
      try {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
      } catch (IOException refusedMidway) {
        // read what the server said before it closed
      }
      return read(s.getInputStream());
    }
  }

  /** A GET with the given Host header and {@code Connection: close}. */
  static Reply get(URI server, String path, String host) throws IOException {
    return exchange(
        server, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  }

  /** Writes {@code bytes} one at a time, {@code pauseMillis} apart. */
  static void trickle(OutputStream out, byte[] bytes, long pauseMillis)
      throws IOException, InterruptedException {
    for (byte b : bytes) {
      out.write(b);
      out.flush();
      Thread.sleep(pauseMillis);
    }
  }

  /** Reads a status line, headers and a body (by Content-Length, or to the end of the stream). */
  static Reply read(InputStream in) throws IOException {
    String status = line(in);
    if (status == null) {
      throw new IOException("the server closed the connection without answering");
    }
    Map<String, String> headers = new TreeMap<>();
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        headers.put(
            l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
      }
    }
    byte[] body;
    String length = headers.get("content-length");
    if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else {
      body = in.readAllBytes();
    }
    return new Reply(
        Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        out.write(b);
      }
    }
    return b < 0 && out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
  }
}
