package io.mmsearch.tools.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.lucene.schema.ModelMismatchException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import org.apache.lucene.index.IndexNotFoundException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The model endpoints of {@code mmsearch serve}, under {@value #PREFIX}:
 *
 * <ul>
 *   <li>{@code POST /api/admin/swap} with {@code {}}: the shadow becomes live and the live index
 *       the shadow (swapping again rolls back);
 *   <li>{@code POST /api/admin/swap} with {@code {"index": DIR, "model": BUNDLE}}: that index is
 *       opened and becomes live; the live index becomes the shadow;
 *   <li>{@code POST /api/admin/shadow} with {@code {"index": DIR, "model": BUNDLE}}: that index is
 *       opened as the shadow, answering {@code ?model=}.
 * </ul>
 *
 * Each answers with {@code GET /api/models}' list. Only this machine may call them: the peer
 * address must be a loopback address, whatever address the server is bound to. They take a JSON
 * body only ({@code Content-Type: application/json}), which a web page cannot send to another
 * origin without a CORS preflight that this server never grants, so a page open in a browser on
 * this machine cannot swap models either. The paths in a body are the operator's: the caller is on
 * this machine and could run {@code mmsearch} itself.
 */
final class ModelAdmin {
  static final String PREFIX = "/api/admin/";
  static final String SWAP = PREFIX + "swap";
  static final String SHADOW = PREFIX + "shadow";

  private ModelAdmin() {}

  /**
   * Runs an admin request.
   *
   * @param body the request body, already read
   * @throws HttpError 403 from another machine, 404 for an unknown endpoint, 405 for another
   *     method, 415 without a JSON body, 400 for a body or an index that cannot be used, 409 for a
   *     swap without a shadow
   */
  static void handle(ServedModels models, String path, Request request, byte[] body)
      throws IOException {
    if (!path.equals(SWAP) && !path.equals(SHADOW)) {
      throw new HttpError(404, "no such API endpoint " + path);
    }
    if (!request.getMethod().equals("POST")) {
      throw HttpError.methodNotAllowed(request.getMethod(), "POST");
    }
    if (!fromLoopback(request)) {
      throw new HttpError(403, path + " answers only to this machine (a loopback address)");
    }
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new HttpError(
          415, path + " takes a JSON body (Content-Type: application/json), e.g. {}");
    }
    JsonNode json;
    try {
      json = Exchanges.JSON.readTree(body.length == 0 ? "{}".getBytes() : body);
    } catch (IOException e) {
      throw new HttpError(400, "the body is not valid JSON: " + e.getMessage());
    }
    if (json == null || !json.isObject()) {
      throw new HttpError(400, "the body must be a JSON object, e.g. {}");
    }
    Path index = path(json, "index");
    Path model = path(json, "model");
    if ((index == null) != (model == null)) {
      throw new HttpError(400, "give both \"index\" and \"model\", or neither");
    }
    if (index == null) {
      if (path.equals(SHADOW)) {
        throw new HttpError(400, SHADOW + " needs {\"index\": DIR, \"model\": BUNDLE}");
      }
      models.swap();
      return;
    }
    try {
      models.load(index, model, path.equals(SWAP));
    } catch (IndexNotFoundException e) {
      throw new HttpError(400, "no index in " + index);
    } catch (ModelMismatchException | InvalidBundleException e) {
      throw new HttpError(400, e.getMessage());
    }
  }

  private static boolean fromLoopback(Request request) {
    SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
    return peer instanceof InetSocketAddress inet
        && inet.getAddress() != null
        && inet.getAddress().isLoopbackAddress();
  }

  private static Path path(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new HttpError(400, "\"" + field + "\" must be a folder path");
    }
    return Path.of(value.asText()).toAbsolutePath().normalize();
  }
}
