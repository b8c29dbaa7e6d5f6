/**
 * {@code mmsearch bundle} subcommands: {@code verify} opens a model bundle as indexing and search
 * would, {@code refingerprint} recomputes its fingerprint after a deliberate edit.
 */
package io.mmsearch.tools.bundle;
