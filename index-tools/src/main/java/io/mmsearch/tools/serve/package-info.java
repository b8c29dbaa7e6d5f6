/**
 * The {@code mmsearch serve} HTTP server: a JSON API over a {@link
 * io.mmsearch.tools.search.SearchSession} and one static web page, on Jetty 12's core server (no
 * servlets: one page and four endpoints), whose connection management, request limits and graceful
 * stop the server is assembled from ({@link io.mmsearch.tools.serve.SearchServer} lists the chain;
 * {@link io.mmsearch.tools.serve.ServerLimits} and {@link io.mmsearch.tools.serve.QueryCostLimits}
 * the limits).
 *
 * <p>Endpoints: {@code GET /api/search} (text, like, keywords, filters), {@code POST /api/search}
 * (the same, plus the request body as the query image), {@code GET /api/image/<id>} (the image of
 * an indexed document, looked up by id, never by path), {@code GET /api/stats}, and the page under
 * {@code /}. Errors are JSON {@code {"error": ..., "status": ...}}, mapped by the type of the
 * failure in {@link io.mmsearch.tools.serve.HttpErrorMapping}: the client's mistakes are 4xx with a
 * reason, everything else a 500 with an incident id that the server log carries with the cause.
 */
package io.mmsearch.tools.serve;
