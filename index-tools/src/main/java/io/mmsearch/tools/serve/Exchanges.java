package io.mmsearch.tools.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading requests and writing responses of {@link HttpExchange}s. Stateless. */
final class Exchanges {
  static final ObjectMapper JSON = new ObjectMapper();

  private Exchanges() {}

  /** Query parameters, each name with all its values in order; {@code +} and %-escapes decoded. */
  static Map<String, List<String>> parameters(HttpExchange ex) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, "malformed query parameter '" + pair + "'");
      }
    }
    return out;
  }

  /** The first value of a parameter, or null if it is absent or blank. */
  static String given(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
  }

  static int intParam(
      Map<String, List<String>> params, String name, int defaultValue, int min, int max) {
    String v = given(params, name);
    if (v == null) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < min || n > max) {
        throw new HttpError(400, name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + " must be an integer, got '" + v + "'");
    }
  }

  /**
   * The request body, at most {@code limit} bytes.
   *
   * @throws HttpError 413 if the declared or actual length exceeds the limit
   */
  static byte[] body(HttpExchange ex, long limit) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > limit) {
          throw new HttpError(
              413, "upload is " + declared.strip() + " bytes, over the limit of " + limit);
        }
      } catch (NumberFormatException e) {
        throw new HttpError(400, "invalid Content-Length '" + declared + "'");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try (InputStream in = ex.getRequestBody()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > limit) {
          throw new HttpError(413, "upload is over the limit of " + limit + " bytes");
        }
        out.write(buf, 0, n);
      }
    }
    return out.toByteArray();
  }

  static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
  }

  static void send(HttpExchange ex, int status, String contentType, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }
}
