/**
 * The {@code mmsearch} command line: {@link io.mmsearch.tools.MmsearchCommand} and one picocli
 * class per verb ({@code index}, {@code search}, {@code eval}, {@code stats}, {@code serve}, {@code
 * train}, {@code demo}). Verbs are thin: the work lives in the sub-packages and in the library
 * modules. {@code mmsearch bench} lives in the benchmarks module, which depends on this one.
 */
package io.mmsearch.tools;
