package io.mmsearch.tools.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Reading requests and writing responses of Jetty's core API. Stateless. */
final class Exchanges {
  static final ObjectMapper JSON = new ObjectMapper();

  private Exchanges() {}

  /** Query parameters, each name with all its values in order; {@code +} and %-escapes decoded. */
  static Map<String, List<String>> parameters(Request request) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String raw = request.getHttpURI().getQuery();
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

  /** A number parameter, or null if it is absent or blank; the range is the caller's to check. */
  static Double doubleParam(Map<String, List<String>> params, String name) {
    String v = given(params, name);
    if (v == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(v.strip());
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + " must be a number, got '" + v + "'");
    }
  }

  /** The path's part after {@code prefix}, %-decoded as one segment ({@code %2F} stays in it). */
  static String pathRest(Request request, String prefix) {
    String raw = request.getHttpURI().getPath();
    String rest = raw.length() > prefix.length() ? raw.substring(prefix.length()) : "";
    try {
      // URLDecoder turns '+' into a space; a path keeps '+' literal.
      return URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "malformed %-escape in the path");
    }
  }

  static void sendJson(Response response, Callback callback, int status, Object body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    send(response, callback, status, "application/json; charset=utf-8", bytes);
  }

  static void send(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
