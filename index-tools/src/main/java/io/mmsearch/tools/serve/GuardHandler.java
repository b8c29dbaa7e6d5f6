package io.mmsearch.tools.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler every request meets: refuses a {@code Host} the server does not answer to
 * (403), and sets the browser security headers on every response.
 *
 * <p>The Host check is what stops DNS rebinding: a web page on an attacker's domain that re-points
 * its name at 127.0.0.1 can make the victim's browser send requests here, but they carry the
 * attacker's name in {@code Host}. By default only the loopback names are answered; a server bound
 * to another address also answers to that address, and {@code --allowed-host} adds names (or {@code
 * *} for any). A request without a Host (HTTP/1.0) is answered: no browser sends one.
 *
 * <p>Headers: a Content-Security-Policy allowing only this origin's scripts, styles and images (and
 * {@code blob:} images, the page's preview of a dropped file), no framing ({@code frame-ancestors
 * 'none'} and {@code X-Frame-Options: DENY}), {@code nosniff}, no referrer, and a same-origin
 * resource policy so other sites cannot embed the API's images.
 */
final class GuardHandler extends Handler.Wrapper {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final Set<String> allowedHosts;
  private final boolean anyHost;

  /**
   * @param allowedHosts host names and addresses answered, lower case, IPv6 without brackets; "*"
   *     answers any
   */
  GuardHandler(Handler next, Set<String> allowedHosts) {
    super(next);
    this.allowedHosts = Set.copyOf(allowedHosts);
    this.anyHost = allowedHosts.contains("*");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    var headers = response.getHeaders();
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.put("X-Frame-Options", "DENY");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("Cross-Origin-Resource-Policy", "same-origin");
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host != null && !anyHost && !allowedHosts.contains(hostName(host))) {
      ObjectNode o = Exchanges.JSON.createObjectNode();
      o.put(
          "error",
          "this server does not answer to the host name in the request; start it with"
              + " --allowed-host NAME to add one");
      o.put("status", 403);
      Exchanges.sendJson(response, callback, 403, o);
      return true;
    }
    return super.handle(request, response, callback);
  }

  /** The name part of a Host header: without the port, IPv6 without brackets, lower case. */
  static String hostName(String host) {
    String h = host.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end > 0 ? h.substring(1, end) : h;
    } else {
      int colon = h.lastIndexOf(':');
      if (colon >= 0 && h.indexOf(':') == colon) {
        h = h.substring(0, colon);
      }
    }
    return h.toLowerCase(Locale.ROOT);
  }
}
