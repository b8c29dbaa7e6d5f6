package io.mmsearch.tools.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.error.UnencodableInputException;
import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.semantics.InvalidQueryException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * Maps the failure of a request to what the client is told, by the type of the failure. Independent
 * of the HTTP server in use: it yields a status and a JSON body, the transport sends them.
 *
 * <table>
 *   <caption>Status by failure type</caption>
 *   <tr><th>failure</th><th>status</th><th>message</th></tr>
 *   <tr><td>{@link HttpError}</td><td>its own (400, 404, 405, 413, 415)</td><td>its own</td></tr>
 *   <tr><td>{@link ImageDecodingException}</td><td>415</td><td>why the upload is no usable
 *       image</td></tr>
 *   <tr><td>{@link InvalidQueryException} (bad numbers, unparsable query, unknown document to
 *       find more like), {@link UnencodableInputException} (a text with no words)</td><td>400</td>
 *       <td>the exception's message</td></tr>
 *   <tr><td>{@link IndexSearcher.TooManyClauses}, {@link TooComplexToDeterminizeException}</td>
 *       <td>400</td><td>a fixed sentence naming the limit</td></tr>
 *   <tr><td>anything else</td><td>500</td><td>a generic sentence with an incident id; the
 *       exception goes to the server log under that id, never to the client</td></tr>
 * </table>
 *
 * <p>Only the types above are the client's fault: a plain {@link IllegalArgumentException} out of
 * Lucene or our own code is a server fault like any other, so it is a 500. Stateless and
 * thread-safe.
 */
public final class HttpErrorMapping {
  private static final Logger LOG = Logger.getLogger(HttpErrorMapping.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpErrorMapping() {}

  /**
   * What the client gets.
   *
   * @param status the HTTP status
   * @param message the human-readable reason
   * @param incident the id under which a server fault is logged, or {@code null} for client errors
   */
  public record ErrorResponse(int status, String message, String incident) {

    /** {@code {"error": message, "status": status, "incident"?: id}}. */
    public ObjectNode toJson() {
      ObjectNode o = JSON.createObjectNode();
      o.put("error", message);
      o.put("status", status);
      if (incident != null) {
        o.put("incident", incident);
      }
      return o;
    }
  }

  /**
   * Maps a failure; a server fault is logged (with its stack trace and incident id) before this
   * returns.
   *
   * @param failure what the handler threw
   * @param request the request line for the log, e.g. {@code "GET /api/search?q=cat"}
   */
  public static ErrorResponse map(Throwable failure, String request) {
    if (failure instanceof HttpError e) {
      return new ErrorResponse(e.status(), e.getMessage(), null);
    }
    if (failure instanceof ImageDecodingException e) {
      return new ErrorResponse(415, "the uploaded image cannot be decoded: " + e.reason(), null);
    }
    if (failure instanceof InvalidQueryException || failure instanceof UnencodableInputException) {
      return new ErrorResponse(400, failure.getMessage(), null);
    }
    if (failure instanceof IndexSearcher.TooManyClauses) {
      return new ErrorResponse(
          400,
          "the query expands to more than "
              + IndexSearcher.getMaxClauseCount()
              + " clauses; make it simpler",
          null);
    }
    if (failure instanceof TooComplexToDeterminizeException) {
      return new ErrorResponse(
          400, "a wildcard or regular expression of the query is too complex", null);
    }
    String incident = newIncidentId();
    LOG.log(Level.SEVERE, "incident " + incident + ": " + request + " failed", failure);
    return new ErrorResponse(
        500,
        "internal error (incident " + incident + "); the server log has the details",
        incident);
  }

  private static String newIncidentId() {
    byte[] bytes = new byte[6];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
