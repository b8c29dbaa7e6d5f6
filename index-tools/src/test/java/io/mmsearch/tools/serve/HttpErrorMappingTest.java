package io.mmsearch.tools.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.error.UnencodableInputException;
import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.lucene.parser.QueryParseException;
import io.mmsearch.lucene.search.InvalidRequestException;
import java.io.IOException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;
import org.junit.jupiter.api.Test;

/** The status and message a client gets for each kind of failure. */
class HttpErrorMappingTest {

  private static HttpErrorMapping.ErrorResponse map(Throwable t) {
    return HttpErrorMapping.map(t, "GET /api/test");
  }

  @Test
  void transportErrorsKeepTheirStatusAndMessage() {
    for (int status : new int[] {400, 404, 405, 413, 415}) {
      HttpErrorMapping.ErrorResponse r = map(new HttpError(status, "reason " + status));
      assertEquals(status, r.status());
      assertEquals("reason " + status, r.message());
      assertNull(r.incident());
    }
  }

  @Test
  void anHttpErrorIsAlwaysAClientError() {
    assertThrows(IllegalArgumentException.class, () -> new HttpError(500, "not a client error"));
  }

  @Test
  void anInvalidRequestOrUnparsableQueryIsA400WithItsReason() {
    assertEquals(400, map(new InvalidRequestException("k must be >= 1, got 0")).status());
    HttpErrorMapping.ErrorResponse parse = map(new QueryParseException(7, "unknown field", null));
    assertEquals(400, parse.status());
    assertEquals("column 7: unknown field", parse.message());
  }

  @Test
  void aTextWithNoWordsIsA400AndAnUndecodableUploadA415() {
    assertEquals(400, map(new UnencodableInputException("text '!!!' has no words")).status());
    HttpErrorMapping.ErrorResponse image = map(new ImageDecodingException("upload", "truncated"));
    assertEquals(415, image.status());
    assertTrue(image.message().endsWith("truncated"), image.message());
  }

  @Test
  void queriesBeyondLuceneLimitsAre400() {
    assertEquals(400, map(new IndexSearcher.TooManyClauses()).status());
    assertEquals(
        400, map(new TooComplexToDeterminizeException(Automata.makeEmpty(), 10_000)).status());
  }

  @Test
  void everythingElseIsA500WithAnIncidentIdAndNoExceptionText() {
    for (Throwable fault :
        new Throwable[] {
          new IllegalArgumentException("secret detail /srv/index"),
          new IOException("disk /srv/index failed"),
          new EncodingException("text.onnx failed on a batch of 1"),
          new IllegalStateException("closed")
        }) {
      HttpErrorMapping.ErrorResponse r = map(fault);
      assertEquals(500, r.status(), fault.toString());
      assertNotNull(r.incident());
      assertTrue(r.message().contains(r.incident()), r.message());
      assertFalse(r.message().contains("/srv/index"), r.message());
      assertFalse(r.toJson().toString().contains(fault.getClass().getSimpleName()));
      assertEquals(r.incident(), r.toJson().get("incident").asText());
    }
    assertNotEquals(map(new IOException()).incident(), map(new IOException()).incident());
  }
}
