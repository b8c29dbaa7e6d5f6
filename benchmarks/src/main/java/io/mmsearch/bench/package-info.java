/**
 * {@code mmsearch bench}: benchmarks that print the figures they measure, a readable table by
 * default and one JSON object per line with {@code --json}. Speed and memory targets live here,
 * never in timed unit tests; results and the commands that produced them are recorded in {@code
 * docs/benchmarks.md}.
 */
package io.mmsearch.bench;
