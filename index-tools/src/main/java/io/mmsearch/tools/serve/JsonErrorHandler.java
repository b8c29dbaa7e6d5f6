package io.mmsearch.tools.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty itself gives when it refuses a request before a handler runs (a malformed
 * request, headers or a body over the limits, a full queue, a body that arrives too slowly): the
 * same JSON as every other error of the API, with a fixed reason per status and never an exception,
 * a class name or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

  JsonErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
    setShowOrigin(false);
  }

  /** The reason the client reads for a status Jetty answers on its own. */
  static String reason(int status) {
    return switch (status) {
      case 400 -> "malformed request";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 408 -> "the request arrived too slowly";
      case 413 -> "the request body is over the size limit";
      case 414 -> "the request URI is too long";
      case 415 -> "unsupported media type";
      case 431 -> "the request headers are too large";
      case 503 -> "the server is busy; try again shortly";
      default -> status >= 500 ? "the request could not be served" : "the request was refused";
    };
  }

  static byte[] json(int status) {
    ObjectNode o = Exchanges.JSON.createObjectNode();
    o.put("error", reason(status));
    o.put("status", status);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    if (code == 503) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
    }
    byte[] body = json(code);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Errors found while parsing, before there is a request object (bad request line, 431). */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    return ByteBuffer.wrap(json(status));
  }
}
