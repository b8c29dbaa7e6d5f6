/**
 * The image manifest shared by {@code mmsearch index}, {@code train} and {@code eval}: JSONL (one
 * JSON object per line) or CSV with the same column names.
 *
 * <p>{@link io.mmsearch.manifest.ManifestReader} streams a manifest and never stops at a bad line:
 * each line becomes either a {@link io.mmsearch.manifest.ManifestEntry} or a {@link
 * io.mmsearch.manifest.ManifestProblem} naming the line and the reason. Columns:
 *
 * <ul>
 *   <li>{@code id} (required, unique within the manifest; a later duplicate is rejected),
 *   <li>{@code image} (required): a path relative to the manifest's folder, an absolute path, or a
 *       {@code file:} URI,
 *   <li>{@code caption}: a string or a list of strings (may be missing or empty),
 *   <li>{@code keywords}: a list of strings or one comma-separated string,
 *   <li>{@code class}, {@code subclass}: optional labels,
 *   <li>any other column: kept as extra metadata.
 * </ul>
 *
 * <p>{@link io.mmsearch.manifest.ImageFields} is the one mapping from an entry to the text fields
 * of an index document, shared by every indexing path (and by the Solr plugin, which cannot use the
 * Lucene 10 plugin).
 *
 * <p>This package only reads, validates and maps the manifest; it never opens the image files.
 */
package io.mmsearch.manifest;
