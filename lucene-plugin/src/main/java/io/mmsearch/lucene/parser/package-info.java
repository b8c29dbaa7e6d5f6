/**
 * The query-string syntax of mmsearch: Lucene's classic syntax over the schema fields plus the
 * vector clauses {@code near:"text"} and {@code like:<id>}, parsed by {@link
 * io.mmsearch.lucene.parser.MultimodalQueryParser} into a {@link
 * io.mmsearch.lucene.search.SearchRequest} (and filters into a plain Lucene query).
 */
package io.mmsearch.lucene.parser;
