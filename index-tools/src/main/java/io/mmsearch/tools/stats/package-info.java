/**
 * What an mmsearch index holds, read from its last commit without a model: {@link
 * io.mmsearch.tools.stats.IndexStats} behind {@code mmsearch stats} and the server's {@code
 * /api/stats}.
 */
package io.mmsearch.tools.stats;
